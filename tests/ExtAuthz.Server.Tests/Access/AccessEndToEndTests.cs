using System.Net.Http.Json;
using System.Text.Json;
using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.Access;

/// <summary>
/// The server over a real loopback socket with the samples cluster (Directory source), a cluster admin and real
/// RS256 tokens minted by its development issuer, answering owner, contributor, viewer, stranger, admin and
/// spoofed-header requests with the CheckResponse Envoy would get.
/// </summary>
public sealed class AccessEndToEndTests : IAsyncLifetime
{
    private ServerInstance _server = null!;
    private Authorization.AuthorizationClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerInstance.StartAsync(["--Policy:ClusterAdmins:0=admin@example.com", "--Identity:DevIssuer:Enabled=true"]);
        _client = new Authorization.AuthorizationClient(_server.Channel);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("alice@example.com", "GET", "/notebook/alice/nb/", "owner")]
    [InlineData("alice@example.com", "DELETE", "/jupyter/api/namespaces/alice/notebooks/nb", "owner")]
    [InlineData("bob@example.com", "GET", "/notebook/alice/nb/", "edit")]
    [InlineData("bob@example.com", "POST", "/notebook/alice/nb/api/kernels", "edit")]
    [InlineData("carol@example.com", "GET", "/notebook/alice/nb/", "view")]
    [InlineData("user@example.com", "GET", "/notebook/kubeflow-user-example-com/nb/", "owner")]
    [InlineData("admin@example.com", "DELETE", "/api/namespaces/bob/notebooks/nb", "cluster-admin")]
    public async Task Check_Granted_OverwritesTheUserHeaderAndRemovesTheRest(string user, string method, string path, string role)
    {
        var response = await CheckAsync(user, method, path);

        Assert.Equal(0, response.Status.Code);
        var userId = Assert.Single(response.OkResponse.Headers);
        Assert.Equal(("kubeflow-userid", user, false), (userId.Header.Key, userId.Header.Value, userId.Append));
        Assert.Contains("kubeflow-groups", response.OkResponse.HeadersToRemove);
        Assert.Contains("x-goog-authenticated-user-email", response.OkResponse.HeadersToRemove);
        Assert.DoesNotContain("kubeflow-userid", response.OkResponse.HeadersToRemove);
        var metadata = response.DynamicMetadata.Fields;
        Assert.Equal(user, metadata["user"].StringValue);
        Assert.Equal(role, metadata["role"].StringValue);
        Assert.Equal(role == "cluster-admin" ? "cluster_admin" : "granted", metadata["reason"].StringValue);
        // Every path here names its namespace as the segment after /notebook/ or /namespaces/.
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var named = segments[Array.FindIndex(segments, s => s is "notebook" or "namespaces") + 1];
        Assert.Equal(named, metadata["namespace"].StringValue);
    }

    [Theory]
    [InlineData("carol@example.com", "POST", "/notebook/alice/nb/api/kernels", "read_only")]
    [InlineData("carol@example.com", "DELETE", "/api/namespaces/alice/notebooks/nb", "read_only")]
    [InlineData("mallory@example.com", "GET", "/notebook/alice/nb/", "no_access")]
    [InlineData("mallory@example.com", "GET", "/notebook/nobody/nb/", "no_access")]
    [InlineData("dave@example.com", "GET", "/notebook/alice/nb/", "no_access")]
    [InlineData("alice@example.com", "GET", "/kfam/v1/bindings?namespace=alice", "admin_only")]
    [InlineData("alice@example.com", "GET", "/pipeline/apis/v2beta1/runs?namespace=alice&namespace=bob", "namespace_conflict")]
    [InlineData("alice@example.com", "GET", "/notebook/alice%2F..%2Fbob/", "ambiguous_path")]
    public async Task Check_Forbidden_Is403WithTheReasonOnly(string user, string method, string path, string reason)
    {
        var response = await CheckAsync(user, method, path);

        Assert.Equal(7, response.Status.Code);
        Assert.Equal(Envoy.Type.V3.StatusCode.Forbidden, response.DeniedResponse.Status.Code);
        Assert.Equal($$"""{"error":"forbidden","reason":"{{reason}}"}""", response.DeniedResponse.Body);
        Assert.Null(response.OkResponse);
    }

    [Fact]
    public async Task Check_ViewerWebSocket_IsReadOnly()
    {
        var response = await CheckAsync("carol@example.com", "GET", "/notebook/alice/nb/api/kernels/k/channels", [new("upgrade", "websocket"), new("connection", "Upgrade")]);

        Assert.Equal("read_only", response.Status.Message);
    }

    [Fact]
    public async Task Check_GroupMember_GetsTheGroupsHeaderToo()
    {
        var response = await CheckAsync("someone@example.com", "POST", "/notebook/bob/nb/", groups: ["staff", "ml-team"]);

        Assert.Equal(0, response.Status.Code);
        var headers = response.OkResponse.Headers.ToDictionary(h => h.Header.Key, h => (h.Header.Value, h.Append));
        Assert.Equal(("someone@example.com", false), headers["kubeflow-userid"]);
        Assert.Equal(("staff,ml-team", false), headers["kubeflow-groups"]);
        Assert.Equal("edit", response.DynamicMetadata.Fields["role"].StringValue);
    }

    [Fact]
    public async Task Check_SpoofedIdentityHeaders_AreOverwrittenOrIgnored()
    {
        (string, string)[] spoofed = [("kubeflow-userid", "admin@example.com"), ("kubeflow-groups", "ml-team"), ("x-goog-authenticated-user-email", "accounts.google.com:admin@example.com")];

        var stranger = await CheckAsync("mallory@example.com", "GET", "/notebook/alice/nb/", [.. spoofed.Select(h => KeyValuePair.Create(h.Item1, h.Item2))]);
        var owner = await CheckAsync("alice@example.com", "GET", "/notebook/alice/nb/", [.. spoofed.Select(h => KeyValuePair.Create(h.Item1, h.Item2))]);
        var anonymous = await _client.CheckAsync(Requests.Istio("GET", "/notebook/alice/nb/", headers: [.. spoofed.Select(h => KeyValuePair.Create(h.Item1, h.Item2))]));

        Assert.Equal("no_access", stranger.Status.Message);
        Assert.Equal("alice@example.com", Assert.Single(owner.OkResponse.Headers).Header.Value);
        Assert.Contains("kubeflow-groups", owner.OkResponse.HeadersToRemove);
        Assert.Contains("x-goog-authenticated-user-email", owner.OkResponse.HeadersToRemove);
        Assert.Equal(Envoy.Type.V3.StatusCode.Unauthorized, anonymous.DeniedResponse.Status.Code);
    }

    [Fact]
    public async Task Check_SameNamespaceWorkload_PassesWithoutAToken()
    {
        var request = Requests.Istio("POST", "/v1/models/m:predict",
            sourcePrincipal: "spiffe://cluster.local/ns/alice/sa/default-editor", destinationPrincipal: "spiffe://cluster.local/ns/alice/sa/model");

        var response = await _client.CheckAsync(request);

        Assert.Equal(0, response.Status.Code);
        Assert.Empty(response.OkResponse.Headers);
        Assert.Contains("kubeflow-userid", response.OkResponse.HeadersToRemove);
        Assert.Equal("service_caller", response.DynamicMetadata.Fields["reason"].StringValue);
    }

    [Fact]
    public async Task Readyz_ShowsTheLoadedSamplesCluster()
    {
        using var response = await _server.Http.GetAsync("/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var index = body.GetProperty("components").GetProperty("index");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(index.GetProperty("ready").GetBoolean());
        Assert.Equal(3, index.GetProperty("state").GetProperty("profiles").GetInt32());
        Assert.Equal("Directory", index.GetProperty("state").GetProperty("source").GetProperty("kind").GetString());
    }

    private async Task<CheckResponse> CheckAsync(string user, string method, string path, KeyValuePair<string, string>[]? headers = null, string[]? groups = null)
    {
        var token = await MintAsync(user, groups ?? []);
        var request = Requests.Istio(method, path, headers: [.. headers ?? [], new("authorization", "Bearer " + token)]);
        return await _client.CheckAsync(request);
    }

    /// <summary>A real signed token from the server's own development issuer (<c>POST /dev/token</c> on the ops port).</summary>
    private async Task<string> MintAsync(string user, string[] groups)
    {
        using var response = await _server.Http.PostAsJsonAsync("/dev/token", new { user, groups });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        return token;
    }
}
