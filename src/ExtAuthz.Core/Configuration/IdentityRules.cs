using ExtAuthz.Core.Identity;

namespace ExtAuthz.Core.Configuration;

internal static class IdentityRules
{
    public static void Validate(ExtAuthzOptions options, List<string> errors)
    {
        var identity = options.Identity;
        if (identity.ClockSkew < TimeSpan.Zero || identity.ClockSkew > TimeSpan.FromMinutes(10))
        {
            errors.Add("Identity:ClockSkew: must be between 00:00:00 and 00:10:00");
        }

        if (identity.KeyRefreshMinInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Identity:KeyRefreshMinInterval: must be at least 00:00:01");
        }

        if (identity.KeyRefreshInterval < identity.KeyRefreshMinInterval || identity.KeyRefreshInterval > TimeSpan.FromDays(1))
        {
            errors.Add("Identity:KeyRefreshInterval: must be between Identity:KeyRefreshMinInterval and 1.00:00:00");
        }

        if (identity.KeyFetchTimeout <= TimeSpan.Zero || identity.KeyFetchTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add("Identity:KeyFetchTimeout: must be positive and at most 00:05:00");
        }

        if (identity.MaxTokenBytes is < 256 or > 1024 * 1024)
        {
            errors.Add("Identity:MaxTokenBytes: must be between 256 and 1048576");
        }

        if (identity.TokenCacheMaxEntries < 1)
        {
            errors.Add("Identity:TokenCacheMaxEntries: must be at least 1");
        }

        if (identity.TokenCacheMaxBytes < 64 * 1024)
        {
            errors.Add("Identity:TokenCacheMaxBytes: must be at least 65536");
        }

        if (identity.DevIssuer.Enabled && options.Policy.Source == "Kubernetes")
        {
            errors.Add("Identity:DevIssuer:Enabled: the development issuer cannot be on with Policy:Source=Kubernetes");
        }

        if (identity.DevIssuer.Enabled)
        {
            ValidateDevIssuer(identity, errors);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < identity.Issuers.Count; i++)
        {
            var issuer = identity.Issuers[i];
            var key = $"Identity:Issuers:{i}";
            ValidateIssuer(issuer, key, errors);
            if (!string.IsNullOrWhiteSpace(issuer.Issuer) && !seen.Add(issuer.Issuer))
            {
                errors.Add($"{key}:Issuer: '{issuer.Issuer}' is configured twice; a token's iss must name one issuer");
            }
        }

        ValidatePrefixes(options, errors);
    }

    /// <summary>
    /// Two issuers with the same user id prefix would give two different people the same <c>kubeflow-userid</c>, and
    /// nothing at run time can tell their ids apart, except <c>system:</c>: a ServiceAccount issuer (UserClaim
    /// <c>sub</c>) may share its prefix with one issuer of another kind, because then only it may issue
    /// <c>system:…</c> ids and it may issue nothing else. Prefixes that merely start alike are kept apart at run time
    /// (<see cref="UserIdRule"/>).
    /// </summary>
    private static void ValidatePrefixes(ExtAuthzOptions options, List<string> errors)
    {
        var issuers = options.Identity.Issuers;
        for (var j = 1; j < issuers.Count; j++)
        {
            var prefix = issuers[j].UserIdPrefix ?? options.Headers.UserIdPrefix;
            for (var i = 0; i < j; i++)
            {
                var same = string.Equals(issuers[i].UserIdPrefix ?? options.Headers.UserIdPrefix, prefix, StringComparison.OrdinalIgnoreCase);
                // The same issuer twice is reported above.
                if (same && issuers[i].Issuer != issuers[j].Issuer && (issuers[i].UserClaim == "sub") == (issuers[j].UserClaim == "sub"))
                {
                    errors.Add($"Identity:Issuers:{j}:UserIdPrefix: '{prefix}' is also the prefix of Identity:Issuers:{i}, so two "
                        + "people could get the same user id; give each issuer its own prefix (only a ServiceAccount issuer, "
                        + "UserClaim 'sub', may share one, with one issuer of another kind)");
                    break;
                }
            }
        }
    }

    private static void ValidateIssuer(IssuerOptions issuer, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(issuer.Issuer))
        {
            errors.Add($"{key}:Issuer: is required");
        }
        else if (string.IsNullOrWhiteSpace(issuer.JwksUri) && EndpointRules.Check(issuer.Issuer, issuer.RequireHttps) is { } discovery)
        {
            errors.Add($"{key}:Issuer: keys come from OIDC discovery under the issuer, and {discovery}; or set JwksUri");
        }

        if (!string.IsNullOrWhiteSpace(issuer.JwksUri) && EndpointRules.Check(issuer.JwksUri, issuer.RequireHttps) is { } jwks)
        {
            errors.Add($"{key}:JwksUri: {jwks}");
        }

        if (issuer.Audiences.Count == 0 || issuer.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{key}:Audiences: at least one non-empty audience is required");
        }

        for (var a = 0; a < issuer.Algorithms.Count; a++)
        {
            var alg = issuer.Algorithms[a];
            if (JwtAlgorithms.IsForbidden(alg))
            {
                errors.Add($"{key}:Algorithms:{a}: '{alg}' is never accepted (no 'none', no HMAC)");
            }
            else if (!JwtAlgorithms.IsSupported(alg))
            {
                errors.Add($"{key}:Algorithms:{a}: '{alg}' is not one of {string.Join(", ", JwtAlgorithms.Supported)}");
            }
        }

        HeaderRules.CheckName($"{key}:Header", issuer.Header, errors);
        if (!string.IsNullOrEmpty(issuer.Cookie))
        {
            HeaderRules.CheckName($"{key}:Cookie", issuer.Cookie, errors);
            if (!string.Equals(issuer.Header, "authorization", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{key}:Cookie: set either Header or Cookie, not both");
            }
        }

        if (string.IsNullOrWhiteSpace(issuer.UserClaim))
        {
            errors.Add($"{key}:UserClaim: must not be empty");
        }
        else if (issuer.UserClaim == "sub" && IsDex(issuer.Issuer))
        {
            errors.Add($"{key}:UserClaim: Dex's 'sub' is an opaque encoding of user and connector, not a user id; use 'email'");
        }

        if (string.IsNullOrWhiteSpace(issuer.GroupsClaim))
        {
            errors.Add($"{key}:GroupsClaim: must not be empty");
        }

        if (issuer.UserIdPrefix is { } prefix && prefix.Any(char.IsControl))
        {
            errors.Add($"{key}:UserIdPrefix: must not contain control characters");
        }
    }

    private static void ValidateDevIssuer(IdentityOptions identity, List<string> errors)
    {
        var dev = identity.DevIssuer;
        if (string.IsNullOrWhiteSpace(dev.Issuer) || identity.Issuers.Any(i => i.Issuer == dev.Issuer))
        {
            errors.Add("Identity:DevIssuer:Issuer: must be set and differ from every configured issuer");
        }

        if (string.IsNullOrWhiteSpace(dev.Audience))
        {
            errors.Add("Identity:DevIssuer:Audience: must not be empty");
        }

        if (dev.MaxTokenLifetime < TimeSpan.FromMinutes(1) || dev.MaxTokenLifetime > TimeSpan.FromDays(7))
        {
            errors.Add("Identity:DevIssuer:MaxTokenLifetime: must be between 00:01:00 and 7.00:00:00");
        }
    }

    /// <summary>Kubeflow's Dex issuer ends in /dex; its sub would never match a Profile owner.</summary>
    private static bool IsDex(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.AbsolutePath.TrimEnd('/').EndsWith("/dex", StringComparison.OrdinalIgnoreCase);
}
