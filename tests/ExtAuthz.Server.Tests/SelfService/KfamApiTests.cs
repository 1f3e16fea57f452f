using System.Text.Json;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>
/// kfam's <c>/kfam/v1/</c> routes against kfam's shapes (kubeflow/kubeflow v1.10.0
/// components/access-management/kfam/{api_default.go, model_binding.go, bindings.go}): <c>RoleRef</c> capitalised,
/// short role names, 200 with an empty body for a change, the literal <c>true</c>/<c>false</c>, and
/// <c>application/json; charset=UTF-8</c> throughout — with every caller checked.
/// </summary>
public sealed class KfamApiTests : IAsyncLifetime
{
    // kfam writes "application/json; charset=UTF-8"; a charset name is case-insensitive (RFC 9110 §8.3.2), compared lower-cased.
    private const string KfamContentType = "application/json; charset=utf-8";

    private SelfServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await SelfServiceHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListBindings_Namespace_KfamShape()
    {
        var (status, body, type) = await _host.CallAsync("alice@example.com", HttpMethod.Get, "/kfam/v1/bindings?namespace=alice");

        Assert.Equal((200, KfamContentType), (status, type));
        Assert.Equal(
            """{"bindings":[{"user":{"kind":"User","name":"alice@example.com"},"referredNamespace":"alice","RoleRef":{"apiGroup":"","kind":"ClusterRole","name":"admin"}},""" +
            """{"user":{"kind":"User","name":"bob@example.com"},"referredNamespace":"alice","RoleRef":{"apiGroup":"","kind":"ClusterRole","name":"edit"}},""" +
            """{"user":{"kind":"User","name":"carol@example.com"},"referredNamespace":"alice","RoleRef":{"apiGroup":"","kind":"ClusterRole","name":"view"}}]}""",
            body);
    }

    [Fact]
    public async Task ListBindings_EmptyResult_OmitsTheKey()
    {
        var (status, body, _) = await _host.CallAsync("mallory@example.com", HttpMethod.Get, "/kfam/v1/bindings?user=mallory@example.com");

        Assert.Equal((200, "{}"), (status, body));
    }

    [Theory]
    [InlineData("bob@example.com", "/kfam/v1/bindings?user=bob@example.com", 200)]
    [InlineData("bob@example.com", "/kfam/v1/bindings?user=alice@example.com", 403)]
    [InlineData("bob@example.com", "/kfam/v1/bindings", 403)]
    [InlineData("mallory@example.com", "/kfam/v1/bindings?namespace=alice", 403)]
    [InlineData("admin@example.com", "/kfam/v1/bindings", 200)]
    [InlineData("admin@example.com", "/kfam/v1/bindings?user=alice@example.com&role=admin", 200)]
    public async Task ListBindings_Caller_SelfMembersOrAdmins(string user, string path, int expected) =>
        Assert.Equal(expected, (await _host.CallAsync(user, HttpMethod.Get, path)).Status);

    [Theory]
    [InlineData("admin@example.com", "admin@example.com", 200, "true")]
    [InlineData("alice@example.com", "alice@example.com", 200, "false")]
    [InlineData("alice@example.com", "admin@example.com", 403, null)]
    [InlineData("admin@example.com", "alice@example.com", 200, "false")]
    public async Task ClusterAdmin_Query_LiteralOrRefused(string caller, string user, int status, string? body)
    {
        var answer = await _host.CallAsync(caller, HttpMethod.Get, $"/kfam/v1/role/clusteradmin?user={user}");

        Assert.Equal(status, answer.Status);
        if (body is not null)
        {
            Assert.Equal((body, KfamContentType), (answer.Body, answer.ContentType));
        }
    }

    [Fact]
    public async Task CreateAndDeleteBinding_Owner_EmptyBodiesAndTheGrantComesAndGoes()
    {
        var binding = new Dictionary<string, object>
        {
            ["user"] = new { kind = "User", name = "erin@example.com" },
            ["referredNamespace"] = "alice",
            ["RoleRef"] = new { kind = "ClusterRole", name = "view" },
        };

        var created = await _host.CallAsync("alice@example.com", HttpMethod.Post, "/kfam/v1/bindings", binding);
        Assert.Equal((200, "", KfamContentType), (created.Status, created.Body, created.ContentType));
        Assert.Equal("view", await _host.CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/"));
        var listed = await _host.CallAsync("alice@example.com", HttpMethod.Get, "/kfam/v1/bindings?namespace=alice&role=view");
        Assert.Contains("""{"user":{"kind":"User","name":"erin@example.com"},"referredNamespace":"alice","RoleRef":{"apiGroup":"","kind":"ClusterRole","name":"view"}}""", listed.Body, StringComparison.Ordinal);

        var deleted = await _host.CallAsync("alice@example.com", HttpMethod.Delete, "/kfam/v1/bindings", binding);
        Assert.Equal((200, ""), (deleted.Status, deleted.Body));
        Assert.Equal("no_access", await _host.CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/"));
    }

    public static TheoryData<string, string, int, string> BadBindings => new()
    {
        { "alice@example.com", """{"user":{"kind":"Group","name":"system:authenticated"},"referredNamespace":"alice","RoleRef":{"kind":"ClusterRole","name":"edit"}}""", 400, "subject_kind" },
        { "alice@example.com", """{"user":{"kind":"ServiceAccount","name":"default-editor","namespace":"bob"},"referredNamespace":"alice","RoleRef":{"kind":"ClusterRole","name":"edit"}}""", 400, "subject_kind" },
        { "alice@example.com", """{"user":{"kind":"User","name":"erin@example.com"},"referredNamespace":"alice","RoleRef":{"kind":"ClusterRole","name":"admin"}}""", 403, "admin_role_admin_only" },
        { "alice@example.com", """{"user":{"kind":"User","name":"erin@example.com"},"referredNamespace":"alice","RoleRef":{"kind":"ClusterRole","name":"kubeflow-edit"}}""", 400, "invalid_role" },
        { "alice@example.com", """{"user":{"kind":"User","name":"erin@example.com"},"referredNamespace":"alice","RoleRef":{"kind":"ClusterRole","name":"cluster-admin"}}""", 400, "invalid_role" },
        { "mallory@example.com", """{"user":{"kind":"User","name":"mallory@example.com"},"referredNamespace":"alice","RoleRef":{"kind":"ClusterRole","name":"edit"}}""", 403, "not_owner" },
        { "mallory@example.com", """{"user":{"kind":"User","name":"mallory@example.com"},"referredNamespace":"kube-system","RoleRef":{"kind":"ClusterRole","name":"edit"}}""", 403, "not_owner" },
        { "alice@example.com", "not json", 400, "bad_json" },
    };

    [Theory]
    [MemberData(nameof(BadBindings))]
    public async Task CreateBinding_BadInput_IsRefused(string user, string body, int status, string reason)
    {
        var answer = await _host.CallAsync(user, HttpMethod.Post, "/kfam/v1/bindings", body);

        Assert.Equal((status, reason), (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task CreateProfile_SelfRegistration_EmptyBodyAndOwned()
    {
        var answer = await _host.CallAsync("erin@example.com", HttpMethod.Post, "/kfam/v1/profiles",
            """{"metadata":{"name":"erin"},"spec":{"owner":{"kind":"User","name":"erin@example.com"}}}""");

        Assert.Equal((200, ""), (answer.Status, answer.Body));
        Assert.Equal("owner", await _host.CheckAsync("erin@example.com", "GET", "/notebook/erin/nb/"));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"kube-system"},"spec":{"owner":{"kind":"User","name":"erin@example.com"}}}""", 403, "reserved_name")]
    [InlineData("""{"metadata":{"name":"erin"},"spec":{"owner":{"kind":"User","name":"alice@example.com"}}}""", 403, "owner_admin_only")]
    [InlineData("""{"metadata":{"name":"erin"},"spec":{"owner":{"kind":"Group","name":"system:authenticated"}}}""", 400, "subject_kind")]
    [InlineData("""{"metadata":{"name":"bob"},"spec":{"owner":{"kind":"User","name":"erin@example.com"}}}""", 409, "exists")]
    [InlineData("""{"metadata":{"name":"istio-system"}}""", 403, "reserved_name")]
    public async Task CreateProfile_BadInput_IsRefused(string body, int status, string reason)
    {
        var answer = await _host.CallAsync("erin@example.com", HttpMethod.Post, "/kfam/v1/profiles", body);

        Assert.Equal((status, reason), (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task DeleteProfile_OwnerWithoutNukeSelf_IsRefusedAdminMay()
    {
        await _host.CallAsync("erin@example.com", HttpMethod.Post, "/kfam/v1/profiles", """{"metadata":{"name":"erin"},"spec":{"owner":{"kind":"User","name":"erin@example.com"}}}""");

        var byOwner = await _host.CallAsync("erin@example.com", HttpMethod.Delete, "/kfam/v1/profiles/erin");
        var byAdmin = await _host.CallAsync("admin@example.com", HttpMethod.Delete, "/kfam/v1/profiles/erin");

        Assert.Equal(403, byOwner.Status);
        Assert.Equal((200, ""), (byAdmin.Status, byAdmin.Body));
        Assert.Equal("no_access", await _host.CheckAsync("erin@example.com", "GET", "/notebook/erin/nb/"));
    }
}
