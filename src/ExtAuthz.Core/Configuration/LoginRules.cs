namespace ExtAuthz.Core.Configuration;

internal static class LoginRules
{
    public static void Validate(ExtAuthzOptions options, List<string> errors)
    {
        var login = options.Login;
        if (login.Url is { Length: > 0 } url)
        {
            // Relative ("/oauth2/start") or absolute http(s); never something a browser could read as another scheme.
            var relative = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
            var absolute = Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
            if (!relative && !absolute)
            {
                errors.Add($"Login:Url: '{url}' must be a path such as /oauth2/start or an http(s) URL");
            }

            if (url.Contains('#') || url.Any(char.IsControl))
            {
                errors.Add("Login:Url: must not contain a fragment or control characters");
            }
        }

        PolicyRules.CheckPrefixes("Login:ApiPaths", login.ApiPaths, errors);
        if (login.IsOidcEnabled())
        {
            ValidateOidc(options, errors);
        }
    }

    private static void ValidateOidc(ExtAuthzOptions options, List<string> errors)
    {
        var login = options.Login;
        var oidc = login.Oidc;
        if (!string.IsNullOrEmpty(login.Url))
        {
            errors.Add("Login:Url: cannot be set together with Login:Oidc (an external login service or our own, not both)");
        }

        var issuer = options.Identity.Issuers.Find(i => i.Issuer == oidc.Issuer);
        var devIssuer = options.Identity.DevIssuer is { Enabled: true } dev && dev.Issuer == oidc.Issuer ? dev : null;
        if (issuer is null && devIssuer is null)
        {
            errors.Add($"Login:Oidc:Issuer: '{oidc.Issuer}' must be one of Identity:Issuers (its key set validates the ID token)");
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            errors.Add("Login:Oidc:ClientId: required");
        }
        else if ((issuer is not null && !issuer.Audiences.Contains(oidc.ClientId)) || (devIssuer is not null && devIssuer.Audience != oidc.ClientId))
        {
            errors.Add($"Login:Oidc:ClientId: '{oidc.ClientId}' must be one of the audiences of its issuer (Identity:Issuers:N:Audiences), as ID tokens name it");
        }

        var hasSecret = !string.IsNullOrEmpty(oidc.ClientSecret);
        var hasSecretFile = !string.IsNullOrEmpty(oidc.ClientSecretFile);
        if (hasSecret && hasSecretFile)
        {
            errors.Add("Login:Oidc:ClientSecretFile: cannot be set together with Login:Oidc:ClientSecret");
        }
        else if (hasSecretFile && !File.Exists(oidc.ClientSecretFile))
        {
            errors.Add($"Login:Oidc:ClientSecretFile: '{oidc.ClientSecretFile}' does not exist");
        }

        CheckUrl("Login:Oidc:AuthorizationEndpoint", oidc.AuthorizationEndpoint, allowRelative: true, errors);
        CheckUrl("Login:Oidc:TokenEndpoint", oidc.TokenEndpoint, allowRelative: false, errors);
        CheckUrl("Login:Oidc:EndSessionEndpoint", oidc.EndSessionEndpoint, allowRelative: true, errors);
        CheckUrl("Login:Oidc:RedirectUri", oidc.RedirectUri, allowRelative: true, errors);
        CheckUrl("Login:Oidc:PostLogoutRedirectUri", oidc.PostLogoutRedirectUri, allowRelative: true, errors);
        if (issuer is null && devIssuer is not null && (oidc.AuthorizationEndpoint is null || oidc.TokenEndpoint is null))
        {
            errors.Add("Login:Oidc:AuthorizationEndpoint: the development issuer has no discovery; set it and Login:Oidc:TokenEndpoint");
        }

        if (oidc.TokenAuthMethod is not ("client_secret_basic" or "client_secret_post"))
        {
            errors.Add("Login:Oidc:TokenAuthMethod: must be client_secret_basic or client_secret_post");
        }

        if (oidc.Scopes.Any(s => s.Length == 0 || s.Any(c => c <= ' ' || c == '"' || c == '\\' || c > '~')))
        {
            errors.Add("Login:Oidc:Scopes: each scope is a non-empty token without spaces or quotes");
        }

        ValidatePaths(login, errors);
        ValidateSession(options, errors);
    }

    private static void ValidatePaths(LoginOptions login, List<string> errors)
    {
        var prefix = login.PathPrefix;
        if (prefix.Length < 2 || prefix[0] != '/' || prefix.EndsWith('/') || prefix.Contains("//", StringComparison.Ordinal)
            || prefix.Any(c => c <= ' ' || c is '?' or '#' or '%' or '\\' or '*'))
        {
            errors.Add($"Login:PathPrefix: '{prefix}' must be a path such as /oauth2 (no trailing '/', no query)");
        }

        if (login.Oidc.RedirectUri is { } redirect && CallbackPath(redirect) is { } path && path != prefix + "/callback")
        {
            errors.Add($"Login:Oidc:RedirectUri: its path '{path}' must be {prefix}/callback (the callback is answered there)");
        }

        if (login.KeyRingFile is { Length: > 0 } ring)
        {
            if (!File.Exists(ring))
            {
                errors.Add($"Login:KeyRingFile: '{ring}' does not exist");
            }
            else
            {
                try
                {
                    Login.KeyRing.Parse(File.ReadAllText(ring));
                }
                catch (FormatException ex)
                {
                    errors.Add($"Login:KeyRingFile: {ex.Message}");
                }
            }
        }

        if (login.StateLifetime < TimeSpan.FromMinutes(1) || login.StateLifetime > TimeSpan.FromHours(1))
        {
            errors.Add("Login:StateLifetime: must be between 00:01:00 and 01:00:00");
        }

        if (login.MaxAttemptsPerBrowser is < 1 or > 100)
        {
            errors.Add("Login:MaxAttemptsPerBrowser: must be between 1 and 100");
        }

        CheckCookieName("Login:BindingCookieName", login.BindingCookieName, errors);
        if (login.TokenTimeout <= TimeSpan.Zero || login.TokenTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add("Login:TokenTimeout: must be positive and at most 00:01:00");
        }

        if (login.StoreTimeout <= TimeSpan.Zero || login.StoreTimeout > TimeSpan.FromSeconds(5))
        {
            errors.Add("Login:StoreTimeout: must be positive and at most 00:00:05");
        }
    }

    private static void ValidateSession(ExtAuthzOptions options, List<string> errors)
    {
        var session = options.Login.Session;
        if (session.Lifetime < TimeSpan.FromMinutes(1) || session.Lifetime > TimeSpan.FromDays(30))
        {
            errors.Add("Login:Session:Lifetime: must be between 00:01:00 and 30.00:00:00");
        }
        else if (session.Lifetime > options.Revocation.MaxTokenLifetime)
        {
            errors.Add("Login:Session:Lifetime: must not exceed Revocation:MaxTokenLifetime (a revocation must outlive every session it ends)");
        }

        if (session.IdleTimeout < TimeSpan.Zero || (session.IdleTimeout > TimeSpan.Zero && session.IdleTimeout < TimeSpan.FromMinutes(1)))
        {
            errors.Add("Login:Session:IdleTimeout: must be zero (off) or at least 00:01:00");
        }

        CheckCookieName("Login:Session:CookieName", session.CookieName, errors);
        if (session.CookieName == options.Login.BindingCookieName)
        {
            errors.Add("Login:Session:CookieName: must differ from Login:BindingCookieName");
        }

        if (session.CacheTtl <= TimeSpan.Zero || session.CacheTtl > TimeSpan.FromMinutes(10))
        {
            errors.Add("Login:Session:CacheTtl: must be positive and at most 00:10:00");
        }

        if (session.CacheMaxEntries < 1)
        {
            errors.Add("Login:Session:CacheMaxEntries: must be at least 1");
        }

        if (session.RefreshBefore < TimeSpan.Zero || session.RefreshBefore >= session.Lifetime)
        {
            errors.Add("Login:Session:RefreshBefore: must be zero (off) or shorter than Login:Session:Lifetime");
        }

        if (!string.IsNullOrEmpty(options.Redis.Configuration) && string.IsNullOrEmpty(options.Login.KeyRingFile))
        {
            errors.Add("Login:KeyRingFile: required with Redis:Configuration (every replica must read the same keys)");
        }
    }

    /// <summary>A cookie name is an RFC 6265 token; a <c>__Host-</c> name is what we recommend but not required.</summary>
    private static void CheckCookieName(string key, string name, List<string> errors)
    {
        if (name.Length == 0 || name.Any(c => c <= ' ' || c > '~' || "()<>@,;:\\\"/[]?={}".Contains(c)))
        {
            errors.Add($"{key}: '{name}' is not a valid cookie name");
        }
    }

    private static void CheckUrl(string key, string? value, bool allowRelative, List<string> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var relative = allowRelative && value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal) && !value.Contains('\\');
        var absolute = Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
        if ((!relative && !absolute) || value.Contains('#') || value.Any(char.IsControl))
        {
            errors.Add(allowRelative ? $"{key}: '{value}' must be a path or an http(s) URL without a fragment" : $"{key}: '{value}' must be an http(s) URL without a fragment");
        }
    }

    /// <summary>The path of a redirect URI, relative or absolute; null when it is neither.</summary>
    internal static string? CallbackPath(string redirectUri)
    {
        if (redirectUri.StartsWith('/'))
        {
            var query = redirectUri.IndexOf('?');
            return query < 0 ? redirectUri : redirectUri[..query];
        }

        return Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) ? uri.AbsolutePath : null;
    }
}
