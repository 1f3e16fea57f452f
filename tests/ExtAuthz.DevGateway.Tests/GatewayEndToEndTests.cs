using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Testing;

namespace ExtAuthz.DevGateway.Tests;

/// <summary>
/// A real ExtAuthz (samples cluster, development issuer) behind the development gateway and its echo app, driven
/// with a plain HttpClient as a browser or curl would.
/// </summary>
public sealed class GatewayEndToEndTests : IAsyncLifetime
{
    private ServerInstance _server = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerInstance.StartAsync(["--Identity:DevIssuer:Enabled=true"]);
        _gateway = await GatewayInstance.StartAsync($"http://127.0.0.1:{_server.GrpcPort}");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Get_OwnerWithSpoofedUserHeader_ReachesEchoAsTheTokenUser()
    {
        using var request = await RequestAsync("alice@example.com", "/notebook/alice/nb/?tab=1");
        request.Headers.Add("kubeflow-userid", "mallory@example.com");
        request.Headers.Add("kubeflow-groups", "admins");

        using var response = await _gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("not-for-production", response.Headers.GetValues("x-extauthz-dev-gateway").Single());
        var echo = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("/notebook/alice/nb/?tab=1", echo!["path"]!.GetValue<string>());
        var headers = echo["headers"]!.AsObject();
        Assert.Equal("alice@example.com", headers["kubeflow-userid"]!.GetValue<string>());
        Assert.False(headers.ContainsKey("kubeflow-groups"));
    }

    [Fact]
    public async Task Get_OwnerPageNavigation_ShowsTheUserOnTheEchoPage()
    {
        using var request = await RequestAsync("alice@example.com", "/notebook/alice/nb/", accept: "text/html");

        using var response = await _gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("kubeflow-userid: alice@example.com", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Anonymous_Is401WithOurBodyAndChallenge()
    {
        using var request = await RequestAsync(user: null, "/notebook/alice/nb/");
        request.Headers.Add("kubeflow-userid", "alice@example.com");

        using var response = await _gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unauthenticated", body.GetProperty("error").GetString());
        Assert.Equal("missing_token", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Get_Stranger_Is403AndNeverReachesTheUpstream()
    {
        using var request = await RequestAsync("mallory@example.com", "/notebook/alice/nb/");

        using var response = await _gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("forbidden", body.GetProperty("error").GetString());
        Assert.Equal("no_access", body.GetProperty("reason").GetString());
        Assert.False(body.TryGetProperty("headers", out _));
    }

    private async Task<HttpRequestMessage> RequestAsync(string? user, string path, string accept = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        if (user is not null)
        {
            using var minted = await _server.Http.PostAsJsonAsync("/dev/token", new { user });
            minted.EnsureSuccessStatusCode();
            var token = (await minted.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
