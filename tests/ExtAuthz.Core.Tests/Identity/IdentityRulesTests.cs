using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Core.Tests.Identity;

public sealed class IdentityRulesTests
{
    public static TheoryData<string, Action<ExtAuthzOptions>, string?> Cases => new()
    {
        { "in-cluster Dex over http", o => { }, null },
        { "IAP with explicit JwksUri", o => o.Identity.Issuers.Add(Iap()), null },
        { "loopback http", o => o.Identity.Issuers[0].Issuer = "http://127.0.0.1:5556/dex", null },
        { "public http issuer", o => o.Identity.Issuers[0].Issuer = "http://idp.example.com", "Identity:Issuers:0:Issuer: keys come from OIDC discovery under the issuer, and 'http://idp.example.com' must be https (RequireHttps); or set JwksUri" },
        { "public http issuer allowed explicitly", o => { o.Identity.Issuers[0].Issuer = "http://idp.example.com"; o.Identity.Issuers[0].RequireHttps = false; }, null },
        { "in-cluster http refused when https required", o => o.Identity.Issuers[0].RequireHttps = true, "Identity:Issuers:0:Issuer: keys come from OIDC discovery under the issuer, and 'http://dex.auth.svc.cluster.local:5556/dex' must be https (RequireHttps); or set JwksUri" },
        { "public http JwksUri", o => o.Identity.Issuers[0].JwksUri = "http://keys.example.com/jwks", "Identity:Issuers:0:JwksUri: 'http://keys.example.com/jwks' must be https (RequireHttps)" },
        { "JwksUri not a URL", o => o.Identity.Issuers[0].JwksUri = "keys", "Identity:Issuers:0:JwksUri: 'keys' is not an absolute http(s) URL" },
        { "alg none", o => o.Identity.Issuers[0].Algorithms = ["none"], "Identity:Issuers:0:Algorithms:0: 'none' is never accepted (no 'none', no HMAC)" },
        { "HS256", o => o.Identity.Issuers[0].Algorithms = ["RS256", "HS256"], "Identity:Issuers:0:Algorithms:1: 'HS256' is never accepted (no 'none', no HMAC)" },
        { "unknown alg", o => o.Identity.Issuers[0].Algorithms = ["EdDSA"], "Identity:Issuers:0:Algorithms:0: 'EdDSA' is not one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512" },
        { "no audience", o => o.Identity.Issuers[0].Audiences = [], "Identity:Issuers:0:Audiences: at least one non-empty audience is required" },
        { "Dex with sub", o => o.Identity.Issuers[0].UserClaim = "sub", "Identity:Issuers:0:UserClaim: Dex's 'sub' is an opaque encoding of user and connector, not a user id; use 'email'" },
        { "SA tokens with sub", o => o.Identity.Issuers.Add(ServiceAccounts()), null },
        { "same issuer twice", o => o.Identity.Issuers.Add(Dex()), "Identity:Issuers:1:Issuer: 'http://dex.auth.svc.cluster.local:5556/dex' is configured twice; a token's iss must name one issuer" },
        { "cookie and header", o => { o.Identity.Issuers[0].Cookie = "kf_token"; o.Identity.Issuers[0].Header = "x-token"; }, "Identity:Issuers:0:Cookie: set either Header or Cookie, not both" },
        { "cookie alone", o => o.Identity.Issuers[0].Cookie = "kf_token", null },
        { "bad header name", o => o.Identity.Issuers[0].Header = "x token", "Identity:Issuers:0:Header: 'x token' is not a valid HTTP header name" },
        { "prefix with newline", o => o.Identity.Issuers[0].UserIdPrefix = "a\nb", "Identity:Issuers:0:UserIdPrefix: must not contain control characters" },
        { "dev issuer with Kubernetes", o => { o.Identity.DevIssuer.Enabled = true; o.Policy.Source = "Kubernetes"; }, "Identity:DevIssuer:Enabled: the development issuer cannot be on with Policy:Source=Kubernetes" },
        { "dev issuer colliding", o => { o.Identity.DevIssuer.Enabled = true; o.Identity.DevIssuer.Issuer = Dex().Issuer; }, "Identity:DevIssuer:Issuer: must be set and differ from every configured issuer" },
        { "cache bound", o => o.Identity.TokenCacheMaxEntries = 0, "Identity:TokenCacheMaxEntries: must be at least 1" },
        { "fetch timeout", o => o.Identity.KeyFetchTimeout = TimeSpan.Zero, "Identity:KeyFetchTimeout: must be positive and at most 00:05:00" },
        { "two email issuers sharing the empty prefix", o => o.Identity.Issuers.Add(With(Iap(), i => i.UserIdPrefix = null)), "Identity:Issuers:1:UserIdPrefix: '' is also the prefix of Identity:Issuers:0, so two people could get the same user id; give each issuer its own prefix (only a ServiceAccount issuer, UserClaim 'sub', may share one, with one issuer of another kind)" },
        { "equal non-empty prefixes", o => { o.Identity.Issuers[0].UserIdPrefix = "accounts.google.com:"; o.Identity.Issuers.Add(Iap()); }, "Identity:Issuers:1:UserIdPrefix: 'accounts.google.com:' is also the prefix of Identity:Issuers:0, so two people could get the same user id; give each issuer its own prefix (only a ServiceAccount issuer, UserClaim 'sub', may share one, with one issuer of another kind)" },
        { "equal prefixes differing in case", o => { o.Headers.UserIdPrefix = "Accounts.Google.Com:"; o.Identity.Issuers.Add(Iap()); }, "Identity:Issuers:1:UserIdPrefix: 'accounts.google.com:' is also the prefix of Identity:Issuers:0, so two people could get the same user id; give each issuer its own prefix (only a ServiceAccount issuer, UserClaim 'sub', may share one, with one issuer of another kind)" },
        { "nested prefixes are kept apart at run time", o => { o.Identity.Issuers[0].UserIdPrefix = "accounts.google.com:dex:"; o.Identity.Issuers.Add(Iap()); }, null },
        { "two ServiceAccount issuers sharing a prefix", o => { o.Identity.Issuers[0] = ServiceAccounts(); o.Identity.Issuers.Add(With(ServiceAccounts(), i => i.Issuer += "/other")); }, "Identity:Issuers:1:UserIdPrefix: '' is also the prefix of Identity:Issuers:0, so two people could get the same user id; give each issuer its own prefix (only a ServiceAccount issuer, UserClaim 'sub', may share one, with one issuer of another kind)" },
        { "refresh below minimum", o => o.Identity.KeyRefreshInterval = TimeSpan.FromSeconds(5), "Identity:KeyRefreshInterval: must be between Identity:KeyRefreshMinInterval and 1.00:00:00" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_IdentityOptions_ExpectedError(string name, Action<ExtAuthzOptions> change, string? expected)
    {
        var options = new ExtAuthzOptions();
        options.Identity.Issuers.Add(Dex());
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

    private static IssuerOptions With(IssuerOptions issuer, Action<IssuerOptions> change)
    {
        change(issuer);
        return issuer;
    }

    private static IssuerOptions Dex() => new() { Issuer = "http://dex.auth.svc.cluster.local:5556/dex", Audiences = ["kubeflow-oidc-authservice"] };

    private static IssuerOptions Iap() => new()
    {
        Issuer = "https://cloud.google.com/iap",
        JwksUri = "https://www.gstatic.com/iap/verify/public_key-jwk",
        Audiences = ["/projects/1/global/backendServices/2"],
        Algorithms = ["ES256"],
        Header = "x-goog-iap-jwt-assertion",
        UserIdPrefix = "accounts.google.com:",
    };

    private static IssuerOptions ServiceAccounts() => new()
    {
        Issuer = "https://kubernetes.default.svc.cluster.local",
        JwksUri = "https://kubernetes.default.svc.cluster.local/openid/v1/jwks",
        Audiences = ["extauthz"],
        UserClaim = "sub",
    };
}
