using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Core.Login;

/// <summary>The validated <c>Login:*</c> options as the flow uses them: paths resolved, secret read, scopes ordered.</summary>
internal sealed class LoginSettings
{
    public required string Issuer { get; init; }

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public required bool SecretInBody { get; init; }

    public string? AuthorizationEndpoint { get; init; }

    public string? TokenEndpoint { get; init; }

    public string? EndSessionEndpoint { get; init; }

    public string? PostLogoutRedirectUri { get; init; }

    public required string RedirectUri { get; init; }

    /// <summary>Space-separated, <c>openid</c> first.</summary>
    public required string Scope { get; init; }

    public required bool Refresh { get; init; }

    public required string Prefix { get; init; }

    public string StartPath => Prefix + "/start";

    public string CallbackPath => Prefix + "/callback";

    public string SignOutPath => Prefix + "/sign_out";

    public string UserInfoPath => Prefix + "/userinfo";

    public required string SessionCookie { get; init; }

    public required string BindingCookie { get; init; }

    public required TimeSpan SessionLifetime { get; init; }

    public required TimeSpan IdleTimeout { get; init; }

    public required TimeSpan CacheTtl { get; init; }

    public required int CacheMaxEntries { get; init; }

    public required TimeSpan RefreshBefore { get; init; }

    public required TimeSpan StateLifetime { get; init; }

    public required int MaxAttemptsPerBrowser { get; init; }

    public required TimeSpan TokenTimeout { get; init; }

    public required TimeSpan StoreTimeout { get; init; }

    public required bool ForwardIdToken { get; init; }

    /// <summary>The issuer's <c>kubeflow-userid</c> prefix.</summary>
    public required string UserIdPrefix { get; init; }

    public static LoginSettings From(ExtAuthzOptions options)
    {
        var login = options.Login;
        var oidc = login.Oidc;
        var secret = oidc.ClientSecretFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : oidc.ClientSecret ?? string.Empty;
        var scopes = oidc.Scopes.Where(s => s != "openid").Distinct(StringComparer.Ordinal).Prepend("openid").ToList();
        var issuer = options.Identity.Issuers.Find(i => i.Issuer == oidc.Issuer);
        return new LoginSettings
        {
            Issuer = oidc.Issuer!,
            ClientId = oidc.ClientId!,
            ClientSecret = secret,
            SecretInBody = oidc.TokenAuthMethod == "client_secret_post",
            AuthorizationEndpoint = oidc.AuthorizationEndpoint,
            TokenEndpoint = oidc.TokenEndpoint,
            EndSessionEndpoint = oidc.EndSessionEndpoint,
            PostLogoutRedirectUri = oidc.PostLogoutRedirectUri,
            RedirectUri = oidc.RedirectUri,
            Scope = string.Join(' ', scopes),
            Refresh = scopes.Contains("offline_access") && login.Session.RefreshBefore > TimeSpan.Zero,
            Prefix = login.PathPrefix,
            SessionCookie = login.Session.CookieName,
            BindingCookie = login.BindingCookieName,
            SessionLifetime = login.Session.Lifetime,
            IdleTimeout = login.Session.IdleTimeout,
            CacheTtl = login.Session.CacheTtl,
            CacheMaxEntries = login.Session.CacheMaxEntries,
            RefreshBefore = login.Session.RefreshBefore,
            StateLifetime = login.StateLifetime,
            MaxAttemptsPerBrowser = login.MaxAttemptsPerBrowser,
            TokenTimeout = login.TokenTimeout,
            StoreTimeout = login.StoreTimeout,
            ForwardIdToken = login.ForwardIdToken,
            UserIdPrefix = issuer?.UserIdPrefix ?? options.Headers.UserIdPrefix,
        };
    }
}
