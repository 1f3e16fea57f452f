namespace ExtAuthz.Browser.Tests;

/// <summary>The configuration <c>./scripts/run.sh</c> passes: our own login, pointed at the development issuer.</summary>
internal static class LoginStack
{
    public const string SessionCookie = "__Host-extauthz-session";

    public static IEnumerable<string> Arguments(string gateway, int opsPort) =>
    [
        "--Login:Oidc:Issuer=urn:extauthz:dev",
        "--Login:Oidc:ClientId=extauthz-dev",
        "--Login:Oidc:ClientSecret=development-only",
        $"--Login:Oidc:AuthorizationEndpoint=http://127.0.0.1:{opsPort}/dev/oidc/authorize",
        $"--Login:Oidc:TokenEndpoint=http://127.0.0.1:{opsPort}/dev/oidc/token",
        $"--Login:Oidc:EndSessionEndpoint=http://127.0.0.1:{opsPort}/dev/oidc/end-session",
        $"--Login:Oidc:RedirectUri={gateway}/oauth2/callback",
        $"--Login:Oidc:PostLogoutRedirectUri={gateway}/",
    ];
}
