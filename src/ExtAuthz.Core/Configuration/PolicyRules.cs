using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Configuration;

/// <summary>Checks the <c>Policy</c> section: index source, path prefixes, roles, service callers, namespace rules.</summary>
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
        CheckPrefixes("Policy:ProbePaths", policy.ProbePaths, errors);
        for (var i = 0; i < policy.GatewayPrincipals.Count; i++)
        {
            var principal = policy.GatewayPrincipals[i];
            if (string.IsNullOrWhiteSpace(principal) || principal.Any(char.IsWhiteSpace))
            {
                errors.Add($"Policy:GatewayPrincipals:{i}: '{principal}' is not a workload principal such as cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account");
            }
        }

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

        CheckRoles(policy.Roles, errors);
        CheckServiceCallers(policy.ServiceCallers, errors);

        CheckRoutes(policy, errors);

        CheckPositive("Policy:DirectoryDebounce", policy.DirectoryDebounce, errors);
        CheckPositive("Policy:DirectoryPollInterval", policy.DirectoryPollInterval, errors);
        CheckKubernetes(policy.Kubernetes, errors);
    }

    /// <summary>The route catalogue (shipped and operator files, namespace rules), host templates and the unknown-route policy.</summary>
    private static void CheckRoutes(PolicyOptions policy, List<string> errors)
    {
        if (policy.UnknownRoutes is not (nameof(UnknownRoutes.Authenticated) or nameof(UnknownRoutes.Deny)))
        {
            errors.Add($"Policy:UnknownRoutes: '{policy.UnknownRoutes}' is not one of Authenticated, Deny");
        }

        RouteCatalogue.Load(policy.RouteCatalogues, policy.NamespaceRules, errors);
        for (var i = 0; i < policy.InferenceHostTemplates.Count; i++)
        {
            if (HostTemplate.TryParse(policy.InferenceHostTemplates[i], out var error) is null)
            {
                errors.Add($"Policy:InferenceHostTemplates:{i}: {error}");
            }
        }

        for (var i = 0; i < policy.DashboardHosts.Count; i++)
        {
            var host = policy.DashboardHosts[i];
            if (string.IsNullOrWhiteSpace(host) || host.Contains('/') || host.Contains(' '))
            {
                errors.Add($"Policy:DashboardHosts:{i}: '{host}' is not a host name such as kubeflow.example.com");
            }
        }
    }

    private static void CheckRoles(RoleNamesOptions roles, List<string> errors)
    {
        var names = new[] { ("Admin", roles.Admin), ("Edit", roles.Edit), ("View", roles.View) };
        foreach (var (key, name) in names)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
            {
                errors.Add($"Policy:Roles:{key}: '{name}' is not a ClusterRole name");
            }
        }

        if (names.Select(n => n.Item2).Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            errors.Add("Policy:Roles: Admin, Edit and View must name three different ClusterRoles");
        }
    }

    private static void CheckServiceCallers(List<ServiceCallerOptions> callers, List<string> errors)
    {
        for (var i = 0; i < callers.Count; i++)
        {
            var caller = callers[i];
            var principal = caller.Principal.StartsWith("spiffe://", StringComparison.Ordinal) ? caller.Principal : "spiffe://" + caller.Principal;
            if (!SpiffeId.TryGetNamespace(principal, out _))
            {
                errors.Add($"Policy:ServiceCallers:{i}:Principal: '{caller.Principal}' is not a workload principal such as cluster.local/ns/kubeflow/sa/name");
            }

            for (var m = 0; m < caller.Methods.Count; m++)
            {
                var method = caller.Methods[m];
                if (string.IsNullOrEmpty(method) || !method.All(char.IsAsciiLetterUpper))
                {
                    errors.Add($"Policy:ServiceCallers:{i}:Methods:{m}: '{method}' is not an upper-case HTTP method");
                }
            }

            for (var p = 0; p < caller.Paths.Count; p++)
            {
                var path = caller.Paths[p];
                var stars = path?.Count(c => c == '*') ?? 0;
                var valid = path is "*" || !string.IsNullOrEmpty(path) && stars <= 1
                    && (stars == 0 && path[0] == '/' || path[0] == '*' && path.Length > 1 && path[1] == '/' || path[^1] == '*' && path[0] == '/');
                if (!valid)
                {
                    errors.Add($"Policy:ServiceCallers:{i}:Paths:{p}: '{path}' is not an Istio path (exact /a/b, prefix /a/*, suffix */b, or *)");
                }
            }
        }
    }

    private static void CheckKubernetes(KubernetesSourceOptions kubernetes, List<string> errors)
    {
        if (kubernetes.PageSize is < 1 or > 10000)
        {
            errors.Add($"Policy:Kubernetes:PageSize: {kubernetes.PageSize} is not between 1 and 10000");
        }

        if (kubernetes.WatchTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Policy:Kubernetes:WatchTimeout: {kubernetes.WatchTimeout} is shorter than one second");
        }

        CheckPositive("Policy:Kubernetes:BackoffInitial", kubernetes.BackoffInitial, errors);
        if (kubernetes.BackoffMax < kubernetes.BackoffInitial)
        {
            errors.Add($"Policy:Kubernetes:BackoffMax: {kubernetes.BackoffMax} is shorter than BackoffInitial");
        }

        if (kubernetes.ProfileVersion is not ("v1" or "v1beta1"))
        {
            errors.Add($"Policy:Kubernetes:ProfileVersion: '{kubernetes.ProfileVersion}' is not one of v1, v1beta1");
        }
    }

    private static void CheckPositive(string key, TimeSpan value, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key}: {value} must be positive");
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
