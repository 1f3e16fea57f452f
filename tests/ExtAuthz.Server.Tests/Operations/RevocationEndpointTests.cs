using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Server.Tests.Operations.Support;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary><c>/revocations</c> on the ops port: cluster admins only; a revoked token is 401 token_revoked on the next Check.</summary>
public sealed class RevocationEndpointTests : IAsyncLifetime
{
    private readonly FakeAuthenticator _authenticator = new FakeAuthenticator()
        .Add("admin-token", FakeAuthenticator.User("admin@example.com", TimeSpan.FromMinutes(1)))
        .Add("alice-old", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(30)))
        .Add("alice-new", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(-5)))
        .Add("bob-jti", FakeAuthenticator.User("bob@example.com", TimeSpan.FromMinutes(1), jti: "jti-7"))
        .Add("bob-other", FakeAuthenticator.User("bob@example.com", TimeSpan.FromMinutes(1), jti: "jti-8"))
        .Add("carol", FakeAuthenticator.User("carol@example.com", TimeSpan.FromMinutes(1)))
        .Add("admin-in-capitals", FakeAuthenticator.User("Admin@Example.com", TimeSpan.FromMinutes(1)));

    private OpsServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await OpsServer.StartAsync(_authenticator, "--Policy:ClusterAdmins:0=admin@example.com",
            // The issuer the fake authenticator's principals name; its key set is never fetched successfully (nothing listens).
            "--Identity:Issuers:0:Issuer=https://issuer.test", "--Identity:Issuers:0:Audiences:0=extauthz",
            "--Identity:Issuers:0:JwksUri=http://127.0.0.1:9/keys");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "missing_token")]
    [InlineData("forged", HttpStatusCode.Unauthorized, "invalid_token")]
    [InlineData("carol", HttpStatusCode.Forbidden, "admin_only")]
    [InlineData("admin-in-capitals", HttpStatusCode.Forbidden, "admin_only")]
    public async Task Revoke_NotAClusterAdmin_IsRefusedWithTheCheckReasonCode(string? bearer, HttpStatusCode expected, string reason)
    {
        using var response = await PostAsync(bearer, new { user = "alice@example.com" });

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains($"\"reason\":\"{reason}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no_access", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "alice-old")).DynamicMetadata.Fields["reason"].StringValue);
    }

    [Fact]
    public async Task Revoke_User_DeniesTokensIssuedBeforeOnly()
    {
        using var response = await PostAsync("admin-token", new { user = "alice@example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var old = await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "alice-old");
        Assert.Equal(401, (int)old.DeniedResponse.Status.Code);
        Assert.Equal("token_revoked", old.DynamicMetadata.Fields["reason"].StringValue);
        Assert.Contains("error=\"invalid_token\"", old.DeniedResponse.Headers.Single(h => h.Header.Key == "www-authenticate").Header.Value, StringComparison.Ordinal);
        Assert.Equal("no_access", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "alice-new")).DynamicMetadata.Fields["reason"].StringValue);
        Assert.Equal(1, Scrape.Value(await _server.ScrapeAsync(), "extauthz_revocations"));
    }

    [Fact]
    public async Task Revoke_TokenByText_DeniesThatTokenOnly()
    {
        using var response = await PostAsync("admin-token", new { token = "bob-jti" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("token_revoked", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "bob-jti")).DynamicMetadata.Fields["reason"].StringValue);
        Assert.Equal("no_access", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "bob-other")).DynamicMetadata.Fields["reason"].StringValue);
    }

    [Fact]
    public async Task Revoke_JtiOfAnIssuerNotConfigured_IsRefusedAndNothingIsRevoked()
    {
        using var response = await PostAsync("admin-token", new { jti = "jti-8", issuer = "https://typo.issuer.test" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("https://issuer.test", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no_access", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "bob-other")).DynamicMetadata.Fields["reason"].StringValue);
    }

    [Fact]
    public async Task Revoke_Jti_DeniesThatTokenAndIsListed()
    {
        using var response = await PostAsync("admin-token", new { jti = "jti-8", issuer = "https://issuer.test" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/revocations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "admin-token");
        using var list = await _server.Server.Http.SendAsync(request);
        var body = await list.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("token_revoked", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "bob-other")).DynamicMetadata.Fields["reason"].StringValue);
        var entry = Assert.Single(body!["revocations"]!.AsArray());
        Assert.Equal("tokenId", entry!["kind"]!.GetValue<string>());
        Assert.Equal("jti-8", entry["subject"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"user\":\"a@example.com\",\"jti\":\"x\",\"issuer\":\"y\"}")]
    [InlineData("{\"jti\":\"x\"}")]
    [InlineData("{\"token\":\"forged\"}")]
    [InlineData("not json")]
    public async Task Revoke_BadBody_Is400(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/revocations") { Content = new StringContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "admin-token");

        using var response = await _server.Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Scrape.Value(await _server.ScrapeAsync(), "extauthz_revocations"));
    }

    private async Task<HttpResponseMessage> PostAsync(string? bearer, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/revocations") { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await _server.Server.Http.SendAsync(request);
    }
}
