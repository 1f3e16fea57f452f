using ExtAuthz.Testing.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>Discovery, validation and key rotation against a real OpenID provider, through the real service.</summary>
[Collection(OidcCollection.Name)]
public sealed class OidcProviderTests
{
    private const string Path = "/jupyter/api/namespaces/alice/notebooks";
    private static readonly object s_alice = new { email = "alice@example.com", email_verified = true, groups = new[] { "team-a" } };

    private readonly OidcProviderFixture _provider;

    public OidcProviderTests(OidcProviderFixture provider) => _provider = provider;

    [Theory]
    [InlineData("urn:extauthz:rs256")]
    [InlineData("urn:extauthz:es256")]
    public async Task Check_ProviderJwtAccessToken_ValidatedThenNoAccessBeforeIndex(string resource)
    {
        await _provider.PublishKeysAsync("rsa-1", "ec-1");
        await using var host = await IdentityHost.StartAsync(Settings());
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);

        var token = await _provider.TokenAsync(resource, s_alice);
        var answer = CheckAnswer.From(await host.CheckAsync(Path, ("authorization", "Bearer " + token)));

        Assert.Equal(new CheckAnswer(403, "no_access", "no access index has loaded", "alice@example.com"), answer);
        Assert.Equal(_provider.Issuer + "/jwks", host.Runtime.Keys[0].JwksUri);
    }

    [Fact]
    public async Task Check_EmailNotVerified_Unauthenticated()
    {
        await _provider.PublishKeysAsync("rsa-1", "ec-1");
        await using var host = await IdentityHost.StartAsync(Settings());
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);

        var token = await _provider.TokenAsync("urn:extauthz:rs256", new { email = "mallory@example.com", email_verified = false });
        var answer = CheckAnswer.From(await host.CheckAsync(Path, ("authorization", "Bearer " + token)));

        Assert.Equal((401, "invalid_token", "email_verified false"), (answer.Status, answer.Reason, answer.Detail));
    }

    [Fact]
    public async Task Check_Audience_OtherResourceRefused()
    {
        await _provider.PublishKeysAsync("rsa-1", "ec-1");
        var settings = Settings();
        settings.Remove("Identity:Issuers:0:Audiences:1");
        await using var host = await IdentityHost.StartAsync(settings);
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);

        var token = await _provider.TokenAsync("urn:extauthz:es256", s_alice);
        var answer = CheckAnswer.From(await host.CheckAsync(Path, ("authorization", "Bearer " + token)));

        Assert.Equal((401, "audience"), (answer.Status, answer.Detail));
    }

    [Fact]
    public async Task Check_KeyRotation_OldValidWhilePublishedNewAfterOneRefreshWithdrawnStops()
    {
        await _provider.PublishKeysAsync("rsa-1", "ec-1");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await IdentityHost.StartAsync(Settings(), time);
        var keys = host.Runtime.Keys[0];
        await KeyWait.LoadedAsync(keys);
        var fetchesAtStart = await _provider.JwksRequestsAsync();
        var oldToken = await _provider.TokenAsync("urn:extauthz:rs256", s_alice);
        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(oldToken))).Status);

        // Rotation: the provider publishes and signs with rsa-2, and still publishes rsa-1.
        await _provider.PublishKeysAsync("rsa-2", "rsa-1", "ec-1");
        var newToken = await _provider.TokenAsync("urn:extauthz:rs256", s_alice);
        var refreshed = keys.NextAttemptApplied;
        var beforeRefresh = CheckAnswer.From(await host.CheckAsync(Path, Bearer(newToken)));
        Assert.Equal((401, "unknown kid"), (beforeRefresh.Status, beforeRefresh.Detail));
        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(oldToken))).Status);
        Assert.Equal(fetchesAtStart, await _provider.JwksRequestsAsync());

        time.Advance(TimeSpan.FromSeconds(10));
        await refreshed.WaitAsync(KeyWait.Patience);
        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(newToken))).Status);
        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(oldToken))).Status);
        Assert.Equal(fetchesAtStart + 1, await _provider.JwksRequestsAsync());

        // Withdrawal: rsa-1 is no longer published; a token naming a stray kid makes the service look again.
        await _provider.PublishKeysAsync("rsa-2", "ec-1");
        using var stray = TestKey.Rsa("stray");
        var strayToken = TestJwt.Sign(stray, new() { ["iss"] = _provider.Issuer, ["aud"] = "urn:extauthz:rs256", ["exp"] = time.GetUtcNow().ToUnixTimeSeconds() + 60, ["email"] = "x@example.com" });
        var withdrawn = keys.NextAttemptApplied;
        Assert.Equal("unknown kid", CheckAnswer.From(await host.CheckAsync(Path, Bearer(strayToken))).Detail);
        time.Advance(TimeSpan.FromSeconds(10));
        await withdrawn.WaitAsync(KeyWait.Patience);

        var old = CheckAnswer.From(await host.CheckAsync(Path, Bearer(oldToken)));
        Assert.Equal((401, "unknown kid"), (old.Status, old.Detail));
        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(newToken))).Status);
        Assert.Equal(fetchesAtStart + 2, await _provider.JwksRequestsAsync());
    }

    private static (string, string) Bearer(string token) => ("authorization", "Bearer " + token);

    private Dictionary<string, string?> Settings() => new()
    {
        ["Identity:Issuers:0:Issuer"] = _provider.Issuer,
        ["Identity:Issuers:0:Audiences:0"] = "urn:extauthz:rs256",
        ["Identity:Issuers:0:Audiences:1"] = "urn:extauthz:es256",
        ["Identity:Issuers:0:Algorithms:0"] = "RS256",
        ["Identity:Issuers:0:Algorithms:1"] = "ES256",
    };
}
