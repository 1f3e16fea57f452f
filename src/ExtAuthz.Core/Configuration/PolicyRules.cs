using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Configuration;

internal static class PolicyRules
{
    public static void Validate(ExtAuthzOptions options, List<string> errors)
    {
        var policy = options.Policy;
        if (policy.Source is not ("Directory" or "Kubernetes"))
        {
            errors.Add($"Policy:Source: '{policy.Source}' is not one of Directory, Kubernetes");
        }

        if (policy.Source == "Directory" && string.IsNullOrWhiteSpace(policy.Directory))
        {
            errors.Add("Policy:Directory: must name a folder when Policy:Source is Directory");
        }

        CheckPrefixes("Policy:PublicPaths", policy.PublicPaths, errors);
        CheckPrefixes("Policy:AdminPaths", policy.AdminPaths, errors);

        for (var i = 0; i < policy.SafeMethods.Count; i++)
        {
            var method = policy.SafeMethods[i];
            if (string.IsNullOrEmpty(method) || !method.All(char.IsAsciiLetterUpper))
            {
                errors.Add($"Policy:SafeMethods:{i}: '{method}' is not an upper-case HTTP method");
            }
        }

        for (var i = 0; i < policy.ClusterAdmins.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(policy.ClusterAdmins[i]))
            {
                errors.Add($"Policy:ClusterAdmins:{i}: must not be empty");
            }
        }

        for (var i = 0; i < policy.KServeDomains.Count; i++)
        {
            var domain = policy.KServeDomains[i];
            if (string.IsNullOrWhiteSpace(domain) || domain.StartsWith('.') || domain.Contains('/') || domain.Contains(':'))
            {
                errors.Add($"Policy:KServeDomains:{i}: '{domain}' is not a DNS domain such as example.com");
            }
        }
    }

    public static void CheckPrefixes(string key, List<string> prefixes, List<string> errors)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (PathPattern.TryParse(prefixes[i], out var error) is null)
            {
                errors.Add($"{key}:{i}: {error}");
            }
        }
    }
}
