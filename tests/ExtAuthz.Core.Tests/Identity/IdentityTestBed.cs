using System.Text.Json.Nodes;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;
using ExtAuthz.Testing.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Core.Tests.Identity;

/// <summary>
/// A Dex-shaped issuer (RS256, Authorization Bearer) and an IAP-shaped one (ES256 P-256, x-goog-iap-jwt-assertion),
/// with their keys published through the real key-set writer, on a fake clock.
/// </summary>
internal sealed class IdentityTestBed : IDisposable
{
    public const string DexIssuer = "http://dex.auth.svc.cluster.local:5556/dex";
    public const string DexAudience = "kubeflow-oidc-authservice";
    public const string IapIssuer = "https://cloud.google.com/iap";
    public const string IapAudience = "/projects/123456789/global/backendServices/987654321";
    public const string IapHeader = "x-goog-iap-jwt-assertion";
    public const string DexSub = "Cg4xNTg0MTE4NTY0MTc4NBIFbG9jYWw";

    private IdentityTestBed(ExtAuthzOptions options)
    {
        Options = options;
        Slots = new HeaderSlots(IdentityRuntime.Sources(options).Select(s => s.HeaderName));
        Runtime = IdentityRuntime.Create(options, Time, Slots, new HttpClient());
        Publish(0, DexKey);
        Publish(1, IapKey);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Keys are made once per test run: RSA key generation is the slow part of these tests.</summary>
    public static TestKey SharedDexKey { get; } = TestKey.Rsa("dex-1");

    public static TestKey SharedIapKey { get; } = TestKey.EcP256("iap-1");

    /// <summary>Another RSA key that claims the Dex key's kid.</summary>
    public static TestKey Impostor { get; } = TestKey.Rsa("dex-1");

    public TestKey DexKey => SharedDexKey;

    public TestKey IapKey => SharedIapKey;

    public ExtAuthzOptions Options { get; }

    public HeaderSlots Slots { get; }

    public IdentityRuntime Runtime { get; }

    public JwtAuthenticator Authenticator => Runtime.Authenticator;

    public long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    public static IdentityTestBed Create(Action<ExtAuthzOptions>? configure = null)
    {
        var options = new ExtAuthzOptions();
        options.Identity.Issuers.Add(new IssuerOptions
        {
            Issuer = DexIssuer,
            Audiences = [DexAudience],
            Algorithms = ["RS256", "ES256"],
        });
        options.Identity.Issuers.Add(new IssuerOptions
        {
            Issuer = IapIssuer,
            JwksUri = "https://www.gstatic.com/iap/verify/public_key-jwk",
            Audiences = [IapAudience],
            Algorithms = ["ES256"],
            Header = IapHeader,
            UserIdPrefix = "accounts.google.com:",
        });
        configure?.Invoke(options);
        options.ApplyDefaults();
        return new IdentityTestBed(options);
    }

    /// <summary>Publishes exactly these keys for issuer <paramref name="issuer"/>, as a successful fetch would.</summary>
    public void Publish(int issuer, params TestKey[] keys) => PublishJwks(issuer, TestKey.Jwks(keys));

    /// <summary>Publishes this JWKS document for issuer <paramref name="issuer"/>, as a successful fetch would.</summary>
    public void PublishJwks(int issuer, string jwks)
    {
        var parsed = JwksParser.Parse(jwks, out var error) ?? throw new InvalidOperationException(error);
        var now = Time.GetUtcNow();
        Runtime.Keys[issuer].Apply(new KeySetFetchResult(parsed, null, TimeSpan.FromMinutes(15), "https://keys.test/jwks"), now, now.AddMinutes(15));
    }

    public JsonObject DexClaims() => new()
    {
        ["iss"] = DexIssuer,
        ["sub"] = DexSub,
        ["aud"] = DexAudience,
        ["exp"] = Now + 3600,
        ["iat"] = Now - 10,
        ["email"] = "alice@example.com",
        ["email_verified"] = true,
        ["groups"] = new JsonArray("team-a", "team-b"),
        ["name"] = "alice",
    };

    public JsonObject IapClaims() => new()
    {
        ["iss"] = IapIssuer,
        ["sub"] = "accounts.google.com:1234567890",
        ["aud"] = IapAudience,
        ["exp"] = Now + 600,
        ["iat"] = Now - 10,
        ["email"] = "bob@example.com",
        ["hd"] = "example.com",
    };

    public string DexToken(Action<JsonObject>? change = null)
    {
        var claims = DexClaims();
        change?.Invoke(claims);
        return TestJwt.Sign(DexKey, TestJwt.Prune(claims));
    }

    public string IapToken(Action<JsonObject>? change = null)
    {
        var claims = IapClaims();
        change?.Invoke(claims);
        return TestJwt.Sign(IapKey, TestJwt.Prune(claims));
    }

    public CheckInput Request(string? bearer = null, string? iap = null, string? cookie = null, string? authorization = null)
    {
        var input = new CheckInput(Slots) { HasHttp = true, Method = "GET", Path = "/", Host = "kubeflow.example.com" };
        if ((authorization ?? (bearer is null ? null : "Bearer " + bearer)) is { } auth)
        {
            input.AddHeader(HeaderSlots.Authorization, auth);
        }

        if (iap is not null)
        {
            input.AddHeader(Slots.SlotOf(IapHeader), iap);
        }

        if (cookie is not null)
        {
            input.AddHeader(HeaderSlots.Cookie, cookie);
        }

        return input;
    }

    public void Dispose()
    {
        Runtime.Dispose();
    }
}
