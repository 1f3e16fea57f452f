namespace ExtAuthz.Core.Configuration;

/// <summary>The OIDC client of our own login (<c>Login:Oidc:*</c>): a confidential client of one configured issuer.</summary>
public sealed class LoginOidcOptions
{
    public static readonly IReadOnlyList<string> DefaultScopes = ["openid", "email", "profile", "groups"];

    /// <summary>One of <c>Identity:Issuers</c> (exact <c>iss</c>): its key set validates the ID token.</summary>
    public string? Issuer { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>A file holding the client secret (a mounted Secret); exclusive with <see cref="ClientSecret"/>.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>The browser-facing authorization URL (Dex's discovery advertises an in-cluster one); from discovery when unset.</summary>
    public string? AuthorizationEndpoint { get; set; }

    /// <summary>The token URL, called from this service; from discovery when unset.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>The provider's logout URL; from discovery (<c>end_session_endpoint</c>) when unset.</summary>
    public string? EndSessionEndpoint { get; set; }

    /// <summary>Sent exactly as configured in both the authorization and the token request; its path is the callback.</summary>
    public string RedirectUri { get; set; } = "/oauth2/callback";

    /// <summary>Requested scopes (<c>openid</c> is always sent); <c>offline_access</c> turns refresh on.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>How the client authenticates at the token endpoint: <c>client_secret_basic</c> or <c>client_secret_post</c>.</summary>
    public string TokenAuthMethod { get; set; } = "client_secret_basic";

    /// <summary>Where the provider's logout sends the browser back to (registered with the provider); none when unset.</summary>
    public string? PostLogoutRedirectUri { get; set; }
}
