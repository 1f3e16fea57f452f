using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExtAuthz.Server.Hosting;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>The development issuer on the ops port: mint a token, see it validated by the Check service.</summary>
public sealed class DevIssuerEndpointTests
{
    private static readonly Dictionary<string, string?> s_devOn = new() { ["Identity:DevIssuer:Enabled"] = "true" };

    [Fact]
    public async Task PostDevToken_Minted_ValidatedByCheck()
    {
        await using var host = await IdentityHost.StartAsync(s_devOn);

        using var response = await host.Ops.PostAsJsonAsync("/dev/token", new { user = "alice@example.com", groups = new[] { "team-a" }, ttlSeconds = 600 });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        var answer = CheckAnswer.From(await host.CheckAsync("/jupyter/", ("authorization", "Bearer " + token)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("urn:extauthz:dev", body.GetProperty("issuer").GetString());
        Assert.Equal(600, body.GetProperty("expiresInSeconds").GetInt32());
        Assert.Equal(new CheckAnswer(403, "no_access", "no access index has loaded", "alice@example.com"), answer);
    }

    [Fact]
    public async Task GetDevJwks_PublicKeyOfTheMintedTokens()
    {
        await using var host = await IdentityHost.StartAsync(s_devOn);

        var jwks = JsonDocument.Parse(await host.Ops.GetStringAsync("/dev/jwks")).RootElement;
        var key = jwks.GetProperty("keys")[0];

        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal(host.Runtime.DevIssuer!.KeyId, key.GetProperty("kid").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Theory]
    [InlineData("not json", "the body must be a JSON object such as")]
    [InlineData("[]", "the body must be a JSON object")]
    [InlineData("{}", "'user' must be a non-empty string")]
    [InlineData("""{"user":""}""", "'user' must be a non-empty string")]
    [InlineData("""{"user":"a@example.com\nkubeflow-userid: admin"}""", "'user' must be a non-empty string")]
    [InlineData("""{"user":"a@example.com","groups":"admins"}""", "'groups' must be an array of strings")]
    [InlineData("""{"user":"a@example.com","groups":["a,admins"]}""", "'groups' must hold non-empty strings")]
    [InlineData("""{"user":"a@example.com","ttlSeconds":0}""", "'ttlSeconds' must be a whole number between 1 and 86400")]
    [InlineData("""{"user":"a@example.com","ttlSeconds":86401}""", "'ttlSeconds' must be a whole number between 1 and 86400")]
    public async Task PostDevToken_BadRequest_400WithReason(string json, string error)
    {
        await using var host = await IdentityHost.StartAsync(s_devOn);

        using var response = await host.Ops.PostAsync("/dev/token", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(error, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("x-forwarded-for", "203.0.113.7")]
    [InlineData("x-envoy-attempt-count", "1")]
    [InlineData("forwarded", "for=203.0.113.7")]
    public async Task PostDevToken_RelayedByAProxy_NotFound(string header, string value)
    {
        await using var host = await IdentityHost.StartAsync(s_devOn);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev/token") { Content = JsonContent.Create(new { user = "alice@example.com" }) };
        request.Headers.Add(header, value);

        using var response = await host.Ops.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostDevToken_DevIssuerOff_NotFound()
    {
        await using var host = await IdentityHost.StartAsync(new Dictionary<string, string?> { ["Identity:DevIssuer:Enabled"] = "false", ["Identity:Issuers:0:Issuer"] = "http://127.0.0.1:1/dex", ["Identity:Issuers:0:Audiences:0"] = "a" });

        using var response = await host.Ops.PostAsJsonAsync("/dev/token", new { user = "alice@example.com" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Build_DevIssuerWithKubernetesPolicy_Refused()
    {
        var (app, errors) = ExtAuthzHost.Build(["--Identity:DevIssuer:Enabled=true", "--Policy:Source=Kubernetes"]);

        Assert.Null(app);
        Assert.Contains("Identity:DevIssuer:Enabled: the development issuer cannot be on with Policy:Source=Kubernetes", errors);
    }
}
