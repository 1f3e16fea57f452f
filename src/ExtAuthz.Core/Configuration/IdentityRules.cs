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

        if (identity.MaxTokenBytes is < 256 or > 1024 * 1024)
        {
            errors.Add("Identity:MaxTokenBytes: must be between 256 and 1048576");
        }

        if (identity.DevIssuer.Enabled && options.Policy.Source == "Kubernetes")
        {
            errors.Add("Identity:DevIssuer:Enabled: the development issuer cannot be on with Policy:Source=Kubernetes");
        }

        for (var i = 0; i < identity.Issuers.Count; i++)
        {
            var issuer = identity.Issuers[i];
            var key = $"Identity:Issuers:{i}";
            if (string.IsNullOrWhiteSpace(issuer.Issuer))
            {
                errors.Add($"{key}:Issuer: is required");
            }

            if (issuer.Audiences.Count == 0 || issuer.Audiences.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{key}:Audiences: at least one non-empty audience is required");
            }

            HeaderRules.CheckName($"{key}:Header", issuer.Header, errors);
        }
    }
}
