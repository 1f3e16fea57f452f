using System.Reflection;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Configuration.Keys;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Reads <see cref="ExtAuthzOptions"/> from ASP.NET configuration. Every key of every source is first checked against
/// the keys the options classes define (<see cref="HostKeys"/>): an unknown key or section, a value that does not read
/// as its type, a value where a list belongs — each is one line naming the full key and what was expected, all of them
/// at once. Then each section is bound without the keys that were refused, so the rules that follow still see the rest.
/// </summary>
internal static class OptionsLoader
{
    private static readonly KeyChecker s_keys = new(HostKeys.Root);

    /// <summary>The sections: every property of <see cref="ExtAuthzOptions"/> that holds an options class.</summary>
    private static readonly PropertyInfo[] s_sections = [.. typeof(ExtAuthzOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string))];

    public static ExtAuthzOptions Load(IConfiguration configuration, List<string> errors)
    {
        var refused = CheckKeys(ConfigurationEntry.All(configuration), key => configuration[key], errors);
        var source = refused.Count == 0 ? configuration : Without(configuration, refused);
        var options = new ExtAuthzOptions();
        foreach (var section in s_sections)
        {
            Bind(source, section.Name, section.GetValue(options)!, errors);
        }

        options.ApplyDefaults();
        return options;
    }

    /// <summary>Adds a line per problem; returns the keys refused.</summary>
    /// <param name="inForce">The value in force for a key, after every source: an overridden value is not checked.</param>
    internal static HashSet<string> CheckKeys(IEnumerable<ConfigurationEntry> entries, Func<string, string?> inForce, List<string> errors)
    {
        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.FromEnvironment && !entry.Key.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }

            // A value that a later source overrides is not the one in force: only its key is checked.
            var value = entry.Value is { } v && v == inForce(entry.Key) ? v : null;
            if (s_keys.Check(entry.Key, value) is not { } problem
                || (entry.FromEnvironment && problem.IsUnknownSection && !problem.HasSuggestion))
            {
                continue;
            }

            refused.Add(entry.Key);
            if (seen.Add(problem.Message))
            {
                errors.Add(problem.Message);
            }
        }

        return refused;
    }

    private static IConfiguration Without(IConfiguration configuration, HashSet<string> refused) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.AsEnumerable().Where(kv => kv.Value is not null && !refused.Contains(kv.Key)))
            .Build();

    private static void Bind(IConfiguration configuration, string section, object target, List<string> errors)
    {
        try
        {
            configuration.GetSection(section).Bind(target);
        }
        catch (InvalidOperationException)
        {
            // Every key and value was checked above; the binder's own text names framework types, not keys.
            errors.Add($"{section}: a value could not be read");
        }
    }
}
