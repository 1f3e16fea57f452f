using ExtAuthz.Core.Identity;
using ExtAuthz.Testing.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Core.Tests.Identity;

public sealed class KeySetFetcherTests
{
    private const string Issuer = "http://dex.auth.svc.cluster.local:5556/dex";
    private const string Discovery = Issuer + "/.well-known/openid-configuration";
    private const string Jwks = Issuer + "/keys";

    private readonly FakeTimeProvider _time = new();
    private readonly StubHttpHandler _http = new();

    [Fact]
    public async Task FetchAsync_Discovery_FindsJwksAndKeys()
    {
        _http.Json(Discovery, $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Jwks}}"}""");
        _http.Json(Jwks, TestKey.Jwks(IdentityTestBed.SharedDexKey, IdentityTestBed.SharedIapKey));

        var result = await Fetcher().FetchAsync(Settings(), null, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(Jwks, result.JwksUri);
        Assert.Equal(["dex-1", "iap-1"], result.Keys!.Select(k => k.KeyId));
    }

    [Fact]
    public async Task FetchAsync_KnownJwksUri_SkipsDiscovery()
    {
        _http.Json(Jwks, TestKey.Jwks(IdentityTestBed.SharedDexKey));

        var result = await Fetcher().FetchAsync(Settings(), Jwks, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(0, _http.Count(Discovery));
    }

    [Theory]
    [InlineData("""{"issuer":"http://dex.auth.svc.cluster.local:5556/dex/","jwks_uri":"http://dex.auth.svc.cluster.local:5556/dex/keys"}""", "discovery: issuer 'http://dex.auth.svc.cluster.local:5556/dex/' is not 'http://dex.auth.svc.cluster.local:5556/dex'")]
    [InlineData("""{"issuer":"http://dex.auth.svc.cluster.local:5556/dex","jwks_uri":"http://keys.example.com/keys"}""", "discovery: jwks_uri 'http://keys.example.com/keys' must be https (RequireHttps)")]
    [InlineData("""{"issuer":"http://dex.auth.svc.cluster.local:5556/dex"}""", "discovery: no jwks_uri")]
    [InlineData("""[1,2]""", "discovery: not a JSON object (content-type application/json)")]
    [InlineData("""<html>""", "discovery: not JSON (content-type application/json)")]
    public async Task FetchAsync_BadDiscovery_FailsWithReason(string document, string expected)
    {
        _http.Json(Discovery, document);

        var result = await Fetcher().FetchAsync(Settings(), null, CancellationToken.None);

        Assert.Null(result.Keys);
        Assert.Equal(expected, result.Error);
    }

    [Theory]
    [InlineData("<html><body>Sign in</body></html>", "text/html", "key set: key set is not a JWKS JSON document (content-type text/html)")]
    [InlineData("""{"keys":[{"kty":"RSA","n":""", "application/json", "key set: key set is not a JWKS JSON document (content-type application/json)")]
    [InlineData("""{"keys":[]}""", "application/json", "key set: key set has no usable signing key (0 keys listed) (content-type application/json)")]
    [InlineData("""{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"hmac"}]}""", "application/json", "key set: key set has no usable signing key (1 keys listed) (content-type application/json)")]
    public async Task FetchAsync_Garbage_FailsWithReason(string body, string contentType, string expected)
    {
        _http.Json(Jwks, body, contentType: contentType);

        var result = await Fetcher().FetchAsync(Settings(), Jwks, CancellationToken.None);

        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public async Task FetchAsync_ServerError_FailsWithStatus()
    {
        _http.Json(Jwks, "unavailable", contentType: "text/plain", status: System.Net.HttpStatusCode.ServiceUnavailable);

        var result = await Fetcher().FetchAsync(Settings(), Jwks, CancellationToken.None);

        Assert.Equal($"key set: HTTP 503 from {Jwks}", result.Error);
    }

    [Fact]
    public async Task FetchAsync_Down_FailsWithConnectionError()
    {
        var result = await Fetcher().FetchAsync(Settings(), Jwks, CancellationToken.None);

        Assert.Equal($"{Jwks}: Connection refused (127.0.0.1:1)", result.Error);
    }

    [Fact]
    public async Task FetchAsync_SlowerThanTimeout_FailsAsTimedOut()
    {
        _http.Hold.Add(Jwks);

        var fetch = Fetcher().FetchAsync(Settings(), Jwks, CancellationToken.None);
        await _http.RequestHeld.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(10));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal($"timed out after 00:00:10 fetching {Jwks}", result.Error);
    }

    [Theory]
    [InlineData(null, 900)]
    [InlineData("max-age=600, must-revalidate", 600)]
    [InlineData("max-age=5", 60)]
    [InlineData("public, max-age=86400", 3600)]
    [InlineData("no-cache", 900)]
    public async Task FetchAsync_CacheControl_HonouredWithinBounds(string? cacheControl, int expectedSeconds)
    {
        _http.Json(Jwks, TestKey.Jwks(IdentityTestBed.SharedDexKey), cacheControl);

        var result = await Fetcher().FetchAsync(Settings(), Jwks, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), result.RefreshAfter);
    }

    [Fact]
    public async Task FetchAsync_HttpsRequiredForPublicIssuer_NoRequestMade()
    {
        var settings = Settings("http://idp.example.com");

        var result = await Fetcher().FetchAsync(settings, null, CancellationToken.None);

        Assert.Equal("discovery: 'http://idp.example.com/.well-known/openid-configuration' must be https (RequireHttps)", result.Error);
        Assert.Equal(0, _http.Count("http://idp.example.com/.well-known/openid-configuration"));
    }

    private KeySetFetcher Fetcher() => new(new HttpClient(_http), _time, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(15));

    private static IssuerSettings Settings(string issuer = Issuer) => IssuerSettings.From(
        new Configuration.IssuerOptions { Issuer = issuer, Audiences = ["a"], Algorithms = ["RS256"] }, string.Empty);
}
