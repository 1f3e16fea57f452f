using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace ExtAuthz.Server.Hosting;

/// <summary>One key a configuration source gives, with its value if it has one.</summary>
/// <param name="FromEnvironment">
/// Read from environment variables, which every program on the machine shares: a variable without <c>__</c> is no
/// configuration key of ours (PATH, HOSTNAME, Kubernetes' service variables), and a section nobody here reads may be
/// another program's (the development gateway's <c>DevGateway__*</c>, set for both processes by its script).
/// </param>
internal readonly record struct ConfigurationEntry(string Key, string? Value, bool FromEnvironment)
{
    /// <summary>Every key of every source, deepest first within a branch. The host's own chained view is not a source of its own.</summary>
    public static IEnumerable<ConfigurationEntry> All(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return [];
        }

        return root.Providers
            .Where(p => p is not ChainedConfigurationProvider)
            .SelectMany(p => Below(p, null, p is EnvironmentVariablesConfigurationProvider));
    }

    private static IEnumerable<ConfigurationEntry> Below(IConfigurationProvider provider, string? parent, bool environment)
    {
        foreach (var name in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var key = parent is null ? name : $"{parent}:{name}";
            var children = Below(provider, key, environment).ToList();
            if (children.Count == 0 || (provider.TryGet(key, out var own) && !string.IsNullOrEmpty(own)))
            {
                provider.TryGet(key, out var value);
                yield return new ConfigurationEntry(key, value, environment);
            }

            foreach (var child in children)
            {
                yield return child;
            }
        }
    }
}
