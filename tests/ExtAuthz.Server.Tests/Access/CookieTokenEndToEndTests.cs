using Envoy.Service.Auth.V3;
using ExtAuthz.Server.Tests.Identity;
using ExtAuthz.Testing;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Server.Tests.Access;

/// <summary>
/// An issuer whose token travels in a cookie (<c>Identity:Issuers:N:Cookie</c>), as oauth2-proxy or authservice set one,
/// end to end: a real server over loopback with the samples cluster and a Dex-shaped issuer of the test. The cookie is
/// found among others by its exact name, a bearer header does not stand in for it, and a forged one is refused.
/// </summary>
public sealed class CookieTokenEndToEndTests : IAsyncLifetime
{
    private const string CookieName = "authservice_session";

    private readonly HostedIssuers _issuers = new();
    private ServerInstance _server = null!;
    private Authorization.AuthorizationClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerInstance.StartAsync(
            [$"--Identity:Issuers:0:Issuer={_issuers.Dex.Issuer}", $"--Identity:Issuers:0:Audiences:0={HostedIssuers.DexAudience}",
                $"--Identity:Issuers:0:Cookie={CookieName}"]);
        _client = new Authorization.AuthorizationClient(_server.Channel);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _issuers.DisposeAsync();
    }

    [Fact]
    public async Task Check_TokenInItsCookieAmongOthers_IsTheCaller()
    {
        var response = await EventuallyGrantedAsync($"_ga=GA1.2.3; {CookieName}={_issuers.DexToken("alice@example.com")}; theme=dark");

        var userId = Assert.Single(response.OkResponse.Headers, h => h.Header.Key == "kubeflow-userid");
        Assert.Equal("alice@example.com", userId.Header.Value);
        Assert.Equal("owner", response.DynamicMetadata.Fields["role"].StringValue);
    }

    [Fact]
    public async Task Check_TokenOnlyAsBearer_IsNoCaller()
    {
        await EventuallyGrantedAsync($"{CookieName}={_issuers.DexToken("alice@example.com")}");

        var response = await CheckAsync(cookie: null, bearer: _issuers.DexToken("alice@example.com"));

        Assert.Equal("missing_token", response.DynamicMetadata.Fields["reason"].StringValue);
        Assert.Equal(401, (int)response.DeniedResponse.Status.Code);
    }

    [Theory]
    [InlineData("other_session={0}")]
    [InlineData("x" + CookieName + "={0}")]
    public async Task Check_TokenInAnotherCookie_IsNoCaller(string cookie)
    {
        await EventuallyGrantedAsync($"{CookieName}={_issuers.DexToken("alice@example.com")}");

        var response = await CheckAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, cookie, _issuers.DexToken("alice@example.com")));

        Assert.Equal("missing_token", response.DynamicMetadata.Fields["reason"].StringValue);
    }

    [Fact]
    public async Task Check_ForgedTokenInTheCookie_IsInvalid()
    {
        await EventuallyGrantedAsync($"{CookieName}={_issuers.DexToken("alice@example.com")}");
        using var forger = TestKey.Rsa("dex-1");

        var response = await CheckAsync($"{CookieName}={_issuers.DexTokenSignedBy(forger, "alice@example.com")}");

        Assert.Equal("invalid_token", response.DynamicMetadata.Fields["reason"].StringValue);
        Assert.Equal(401, (int)response.DeniedResponse.Status.Code);
    }

    private async Task<CheckResponse> CheckAsync(string? cookie, string? bearer = null)
    {
        List<KeyValuePair<string, string>> headers = [];
        if (cookie is not null)
        {
            headers.Add(new("cookie", cookie));
        }

        if (bearer is not null)
        {
            headers.Add(new("authorization", "Bearer " + bearer));
        }

        return await _client.CheckAsync(Requests.Istio("GET", "/notebook/alice/nb/", headers: [.. headers]));
    }

    /// <summary>The issuer's keys load in the background after start: waits until the cookie is honoured.</summary>
    private async Task<CheckResponse> EventuallyGrantedAsync(string cookie)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await CheckAsync(cookie);
            if (response.DynamicMetadata.Fields["reason"].StringValue == "granted")
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never granted: {response.DynamicMetadata.Fields["reason"].StringValue}");
            await Task.Delay(50);
        }
    }
}
