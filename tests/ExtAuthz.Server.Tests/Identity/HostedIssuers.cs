using System.Text.Json.Nodes;
using ExtAuthz.Testing.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>
/// A Dex-shaped issuer (RS256, discovery under /dex) and an IAP-shaped one (ES256 P-256, explicit JWKS URL, token in
/// x-goog-iap-jwt-assertion), each served by a loopback key-set server of the test, on a fake clock.
/// </summary>
internal sealed class HostedIssuers : IAsyncDisposable
{
    public const string DexAudience = "kubeflow-oidc-authservice";
    public const string IapIssuer = "https://cloud.google.com/iap";
    public const string IapAudience = "/projects/123456789/global/backendServices/987654321";

    private static readonly TestKey s_dexKey = TestKey.Rsa("dex-1");
    private static readonly TestKey s_iapKey = TestKey.EcP256("iap-1");

    public HostedIssuers(bool startDex = true)
    {
        Dex = new LoopbackJwksServer("/dex") { Jwks = TestKey.Jwks(s_dexKey) };
        Iap = LoopbackJwksServer.Start();
        Iap.Jwks = TestKey.Jwks(s_iapKey);
        if (startDex)
        {
            Dex.Up();
        }
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public LoopbackJwksServer Dex { get; }

    public LoopbackJwksServer Iap { get; }

    public long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    public Dictionary<string, string?> Settings() => new()
    {
        ["Identity:Issuers:0:Issuer"] = Dex.Issuer,
        ["Identity:Issuers:0:Audiences:0"] = DexAudience,
        ["Identity:Issuers:1:Issuer"] = IapIssuer,
        ["Identity:Issuers:1:JwksUri"] = Iap.JwksUri,
        ["Identity:Issuers:1:Audiences:0"] = IapAudience,
        ["Identity:Issuers:1:Algorithms:0"] = "ES256",
        ["Identity:Issuers:1:Header"] = "x-goog-iap-jwt-assertion",
        ["Identity:Issuers:1:UserIdPrefix"] = "accounts.google.com:",
        ["Identity:KeyRefreshInterval"] = "00:01:00",
        ["Identity:KeyFetchTimeout"] = "00:00:05",
    };

    public Task<IdentityHost> StartHostAsync() => IdentityHost.StartAsync(Settings(), Time);

    /// <summary>A fresh Dex token (a new jti each time, so it is never in the token cache yet).</summary>
    public string DexToken(string email = "alice@example.com") => DexTokenSignedBy(s_dexKey, email);

    /// <summary>A Dex-shaped token signed by <paramref name="key"/>: another key under the Dex kid is a forgery.</summary>
    public string DexTokenSignedBy(TestKey key, string email) => TestJwt.Sign(key, new JsonObject
    {
        ["iss"] = Dex.Issuer,
        ["sub"] = "Cg4xNTg0MTE4NTY0MTc4NBIFbG9jYWw",
        ["aud"] = DexAudience,
        ["exp"] = Now + 3600,
        ["iat"] = Now,
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["email"] = email,
        ["email_verified"] = true,
        ["groups"] = new JsonArray("team-a"),
    });

    public string IapToken(string email = "bob@example.com") => TestJwt.Sign(s_iapKey, new JsonObject
    {
        ["iss"] = IapIssuer,
        ["sub"] = "accounts.google.com:1234567890",
        ["aud"] = IapAudience,
        ["exp"] = Now + 600,
        ["iat"] = Now,
        ["email"] = email,
        ["hd"] = "example.com",
    });

    /// <summary>A Dex-shaped token naming a kid the issuer does not publish.</summary>
    public string UnknownKidToken(int n) => TestJwt.SignRaw(
        $$"""{"alg":"RS256","kid":"stray-{{n}}"}""",
        $$"""{"iss":"{{Dex.Issuer}}","aud":"{{DexAudience}}","exp":{{Now + 600}},"email":"eve@example.com"}""",
        s_dexKey.Sign);

    public async ValueTask DisposeAsync()
    {
        await Dex.DisposeAsync();
        await Iap.DisposeAsync();
    }
}
