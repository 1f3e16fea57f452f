using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Core.Tests.Login;

public sealed class LoginRulesTests
{
    private const string Dex = "http://dex.auth.svc.cluster.local:5556/dex";

    public static TheoryData<string, Action<ExtAuthzOptions>, string?> Cases => new()
    {
        { "Kubeflow's Dex client", o => { }, null },
        { "with an external login too", o => o.Login.Url = "/oauth2/start", "Login:Url: cannot be set together with Login:Oidc (an external login service or our own, not both)" },
        { "issuer not configured", o => o.Login.Oidc.Issuer = "https://other.example.com", "Login:Oidc:Issuer: 'https://other.example.com' must be one of Identity:Issuers (its key set validates the ID token)" },
        { "no client id", o => o.Login.Oidc.ClientId = null, "Login:Oidc:ClientId: required" },
        { "client id not an audience", o => o.Login.Oidc.ClientId = "other", "Login:Oidc:ClientId: 'other' must be one of the audiences of its issuer (Identity:Issuers:N:Audiences), as ID tokens name it" },
        { "secret and secret file", o => o.Login.Oidc.ClientSecretFile = "/etc/hostname", "Login:Oidc:ClientSecretFile: cannot be set together with Login:Oidc:ClientSecret" },
        { "secret file missing", o => { o.Login.Oidc.ClientSecret = null; o.Login.Oidc.ClientSecretFile = "/nonexistent/secret"; }, "Login:Oidc:ClientSecretFile: '/nonexistent/secret' does not exist" },
        { "authorization endpoint javascript", o => o.Login.Oidc.AuthorizationEndpoint = "javascript:alert(1)", "Login:Oidc:AuthorizationEndpoint: 'javascript:alert(1)' must be a path or an http(s) URL without a fragment" },
        { "token endpoint relative", o => o.Login.Oidc.TokenEndpoint = "/dex/token", "Login:Oidc:TokenEndpoint: '/dex/token' must be an http(s) URL without a fragment" },
        { "callback elsewhere", o => o.Login.Oidc.RedirectUri = "/authservice/oidc/callback", "Login:Oidc:RedirectUri: its path '/authservice/oidc/callback' must be /oauth2/callback (the callback is answered there)" },
        { "absolute redirect uri", o => o.Login.Oidc.RedirectUri = "https://kubeflow.example.com/oauth2/callback", null },
        { "prefix with trailing slash", o => { o.Login.PathPrefix = "/auth/"; o.Login.Oidc.RedirectUri = "/auth//callback"; }, "Login:PathPrefix: '/auth/' must be a path such as /oauth2 (no trailing '/', no query)" },
        { "token auth method", o => o.Login.Oidc.TokenAuthMethod = "private_key_jwt", "Login:Oidc:TokenAuthMethod: must be client_secret_basic or client_secret_post" },
        { "scope with a space", o => o.Login.Oidc.Scopes = ["openid email"], "Login:Oidc:Scopes: each scope is a non-empty token without spaces or quotes" },
        { "session longer than revocations", o => o.Login.Session.Lifetime = TimeSpan.FromDays(2), "Login:Session:Lifetime: must not exceed Revocation:MaxTokenLifetime (a revocation must outlive every session it ends)" },
        { "idle too short", o => o.Login.Session.IdleTimeout = TimeSpan.FromSeconds(5), "Login:Session:IdleTimeout: must be zero (off) or at least 00:01:00" },
        { "bad cookie name", o => o.Login.Session.CookieName = "a b", "Login:Session:CookieName: 'a b' is not a valid cookie name" },
        { "same cookie twice", o => o.Login.BindingCookieName = "__Host-extauthz-session", "Login:Session:CookieName: must differ from Login:BindingCookieName" },
        { "Redis without a key ring", o => o.Redis.Configuration = "localhost:6379", "Login:KeyRingFile: required with Redis:Configuration (every replica must read the same keys)" },
        { "key ring missing", o => o.Login.KeyRingFile = "/nonexistent/keys", "Login:KeyRingFile: '/nonexistent/keys' does not exist" },
        { "store timeout too long", o => o.Login.StoreTimeout = TimeSpan.FromSeconds(30), "Login:StoreTimeout: must be positive and at most 00:00:05" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_LoginOptions_ExpectedError(string name, Action<ExtAuthzOptions> change, string? expected)
    {
        var options = new ExtAuthzOptions();
        options.Identity.Issuers.Add(new IssuerOptions { Issuer = Dex, Audiences = ["kubeflow-oidc-authservice"] });
        options.Login.Oidc.Issuer = Dex;
        options.Login.Oidc.ClientId = "kubeflow-oidc-authservice";
        options.Login.Oidc.ClientSecret = "pUBnBOY80SnXgjibTYM9ZWNzY2xreNGQok";
        options.Login.Oidc.AuthorizationEndpoint = "/dex/auth";
        change(options);
        options.ApplyDefaults();

        var errors = ConfigValidator.Validate(options);

        if (expected is null)
        {
            Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}");
        }
        else
        {
            Assert.Equal([expected], errors);
        }
    }

    [Fact]
    public void ApplyDefaults_OwnLogin_PrefixNoLongerPublic()
    {
        var options = new ExtAuthzOptions();
        options.Login.Oidc.Issuer = Dex;
        options.ApplyDefaults();

        Assert.Equal(["/dex/"], options.Policy.PublicPaths);
        Assert.Equal(["openid", "email", "profile", "groups"], options.Login.Oidc.Scopes);
    }
}
