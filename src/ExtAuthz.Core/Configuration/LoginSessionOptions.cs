namespace ExtAuthz.Core.Configuration;

/// <summary>Browser sessions of our own login (<c>Login:Session:*</c>).</summary>
public sealed class LoginSessionOptions
{
    /// <summary>Absolute lifetime of a session (Dex's ID-token lifetime by default).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A session unused for this long ends; zero turns the idle limit off.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The session cookie; <c>__Host-</c> requires Secure, Path=/ and no Domain, which we always send.</summary>
    public string CookieName { get; set; } = "__Host-extauthz-session";

    /// <summary>How long this replica serves a session from memory before it reads the store again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most verified sessions this replica keeps warm.</summary>
    public int CacheMaxEntries { get; set; } = 200_000;

    /// <summary>Refresh the ID token when it has less than this left (needs <c>offline_access</c>); zero turns refresh off.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);
}
