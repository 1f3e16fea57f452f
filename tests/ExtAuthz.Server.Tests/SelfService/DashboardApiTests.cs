using System.Text.Json;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>
/// The central dashboard's <c>/api/workgroup/</c> routes against the shapes its frontends read (kubeflow/kubeflow
/// v1.10.0 components/centraldashboard/app/api_workgroup.ts), on the embedded default: a real server, the samples
/// cluster in a private folder, real tokens. Changes land as files and come back through the directory watch.
/// </summary>
public sealed class DashboardApiTests : IAsyncLifetime
{
    private SelfServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await SelfServiceHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Exists_Owner_HasWorkgroup()
    {
        var (status, body, _) = await _host.CallAsync("alice@example.com", HttpMethod.Get, "/api/workgroup/exists");

        Assert.Equal(200, status);
        Assert.Equal("""{"user":"alice","hasAuth":true,"hasWorkgroup":true,"registrationFlowAllowed":true}""", body);
    }

    [Fact]
    public async Task EnvInfo_Contributor_ListsEachNamespaceWithTheDashboardsRoleNames()
    {
        var (status, body, _) = await _host.CallAsync("bob@example.com", HttpMethod.Get, "/api/workgroup/env-info");

        Assert.Equal(200, status);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("bob@example.com", root.GetProperty("user").GetString());
        Assert.False(root.GetProperty("isClusterAdmin").GetBoolean());
        Assert.Equal(["kubeflowVersion", "logoutUrl", "provider", "providerName"], root.GetProperty("platform").EnumerateObject().Select(p => p.Name).Order());
        var namespaces = root.GetProperty("namespaces").EnumerateArray()
            .Select(n => $"{n.GetProperty("namespace").GetString()}:{n.GetProperty("role").GetString()}:{n.GetProperty("user").GetString()}").ToList();
        Assert.Equal(["alice:contributor:bob@example.com", "bob:owner:bob@example.com"], namespaces.Order());
    }

    [Theory]
    [InlineData("/api/workgroup/exists")]
    [InlineData("/api/workgroup/env-info")]
    [InlineData("/api/workgroup/get-contributors/alice")]
    [InlineData("/kfam/v1/bindings?namespace=alice")]
    public async Task Read_NoIdentity_Is401(string path)
    {
        var (status, body, _) = await _host.CallAsync(null, HttpMethod.Get, path);

        Assert.Equal(401, status);
        Assert.Equal("missing_token", JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Read_SpoofedIdentityHeaderFromANotebook_IsIgnored()
    {
        var (status, _, _) = await _host.CallAsync(null, HttpMethod.Get, "/api/workgroup/get-contributors/alice",
            headers: [("kubeflow-userid", "alice@example.com"), ("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/extauthz/sa/extauthz;URI=spiffe://cluster.local/ns/bob/sa/default-editor")]);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Read_SpoofedDashboardIdentityBeforeTheSidecarsElement_IsIgnored()
    {
        var (status, _, _) = await _host.CallAsync(null, HttpMethod.Get, "/api/workgroup/get-contributors/alice",
            headers: [("kubeflow-userid", "alice@example.com"),
                ("x-forwarded-client-cert", "URI=spiffe://cluster.local/ns/kubeflow/sa/dashboard,By=spiffe://cluster.local/ns/extauthz/sa/extauthz;URI=spiffe://cluster.local/ns/bob/sa/default-editor")]);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Read_IdentityHeaderFromTheDashboard_Counts()
    {
        var (status, body, _) = await _host.CallAsync(null, HttpMethod.Get, "/api/workgroup/get-contributors/alice",
            headers: [("kubeflow-userid", "alice@example.com"), ("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/extauthz/sa/extauthz;Hash=ab;URI=spiffe://cluster.local/ns/kubeflow/sa/centraldashboard")]);

        Assert.Equal(200, status);
        Assert.Equal("""["bob@example.com"]""", body);
    }

    [Theory]
    [InlineData("alice@example.com", 200)]
    [InlineData("bob@example.com", 200)]
    [InlineData("carol@example.com", 200)]
    [InlineData("mallory@example.com", 403)]
    [InlineData("admin@example.com", 200)]
    public async Task GetContributors_Caller_OnlyMembersAndAdmins(string user, int expected)
    {
        var (status, body, _) = await _host.CallAsync(user, HttpMethod.Get, "/api/workgroup/get-contributors/alice");

        Assert.Equal(expected, status);
        Assert.Equal(expected == 200 ? """["bob@example.com"]""" : "not_member", expected == 200 ? body : JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("admin@example.com", 200)]
    [InlineData("alice@example.com", 403)]
    public async Task GetAllNamespaces_Caller_ClusterAdminsOnly(string user, int expected)
    {
        var (status, body, _) = await _host.CallAsync(user, HttpMethod.Get, "/api/workgroup/get-all-namespaces");

        Assert.Equal(expected, status);
        if (expected == 200)
        {
            Assert.Contains("""["alice","alice@example.com","bob@example.com, carol@example.com"]""", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AddContributor_Owner_GrantsAtCheckAndListsThenRemoveTakesItBack()
    {
        Assert.Equal("no_access", await _host.CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/"));

        var added = await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" });
        Assert.Equal((200, """["bob@example.com","erin@example.com"]"""), (added.Status, added.Body));
        Assert.Equal("edit", await _host.CheckAsync("erin@example.com", "POST", "/notebook/alice/nb/api/kernels"));
        var file = Path.Combine(_host.Folder, "selfservice", "member-alice.user-erin-example-com-clusterrole-edit.yaml");
        Assert.True(File.Exists(file));

        var again = await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" });
        Assert.Equal((200, added.Body), (again.Status, again.Body));

        var removed = await _host.CallAsync("alice@example.com", HttpMethod.Delete, "/api/workgroup/remove-contributor/alice", new { contributor = "erin@example.com" });
        Assert.Equal((200, """["bob@example.com"]"""), (removed.Status, removed.Body));
        Assert.Equal("no_access", await _host.CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/"));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task AddContributor_ViewRole_IsReadOnlyAtCheck()
    {
        var added = await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "frank@example.com", role = "view" });

        Assert.Equal((200, """["bob@example.com"]"""), (added.Status, added.Body));
        Assert.Equal("view", await _host.CheckAsync("frank@example.com", "GET", "/notebook/alice/nb/"));
        Assert.Equal("read_only", await _host.CheckAsync("frank@example.com", "POST", "/notebook/alice/nb/api/kernels"));
    }

    public static TheoryData<string, string, object, int, string> BadChanges => new()
    {
        // caller, namespace, body, status, reason
        { "mallory@example.com", "alice", new { contributor = "mallory@example.com" }, 403, "not_owner" },
        { "bob@example.com", "alice", new { contributor = "bob2@example.com" }, 403, "not_owner" },
        { "mallory@example.com", "kube-system", new { contributor = "mallory@example.com" }, 403, "not_owner" },
        { "alice@example.com", "alice", new { contributor = "alice@example.com" }, 403, "owner_binding" },
        { "alice@example.com", "alice", new { contributor = "erin@example.com", role = "admin" }, 403, "admin_role_admin_only" },
        { "alice@example.com", "alice", new { contributor = "system:authenticated" }, 400, "invalid_member" },
        { "alice@example.com", "alice", new { contributor = "erin@example.com\r\nX-Injected: 1" }, 400, "invalid_member" },
        { "alice@example.com", "alice", new { contributor = "" }, 400, "invalid_member" },
        { "alice@example.com", "alice", new { who = "erin@example.com" }, 400, "invalid_member" },
        { "alice@example.com", "alice", "{\"contributor\":", 400, "bad_json" },
        { "alice@example.com", "alice", "[\"erin@example.com\"]", 400, "bad_json" },
        { "admin@example.com", "nobody", new { contributor = "erin@example.com" }, 404, "not_found" },
    };

    [Theory]
    [MemberData(nameof(BadChanges))]
    public async Task AddContributor_BadInput_IsRefusedWithAReasonAndWritesNothing(string user, string ns, object body, int status, string reason)
    {
        var answer = await _host.CallAsync(user, HttpMethod.Post, $"/api/workgroup/add-contributor/{ns}", body);

        Assert.Equal((status, reason), (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("reason").GetString()));
        Assert.False(Directory.Exists(Path.Combine(_host.Folder, "selfservice")) && Directory.EnumerateFiles(Path.Combine(_host.Folder, "selfservice")).Any());
    }

    [Theory]
    [InlineData("origin", "http://evil.example", "cross_site", 403)]
    [InlineData("origin", "null", "cross_site", 403)]
    [InlineData("sec-fetch-site", "cross-site", "cross_site", 403)]
    [InlineData("sec-fetch-site", "same-site", "cross_site", 403)]
    [InlineData("content-type", "text/plain", "not_json", 415)]
    [InlineData("content-type", "application/x-www-form-urlencoded", "not_json", 415)]
    public async Task AddContributor_CrossSiteOrNotJson_IsRefused(string header, string value, string reason, int status)
    {
        var answer = await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" }, (header, value));

        Assert.Equal((status, reason), (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task AddContributor_SameOriginBrowser_IsAllowed()
    {
        var answer = await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" },
            ("origin", $"http://127.0.0.1:{_host.Server.ApiPort}"), ("sec-fetch-site", "same-origin"));

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task RemoveContributor_OwnersOwnBinding_IsRefused()
    {
        var answer = await _host.CallAsync("admin@example.com", HttpMethod.Delete, "/api/workgroup/remove-contributor/alice", new { contributor = "alice@example.com", role = "admin" });

        Assert.Equal((403, "owner_binding"), (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task RemoveContributor_BindingFromTheOperatorsOwnFile_IsNotManaged()
    {
        var answer = await _host.CallAsync("alice@example.com", HttpMethod.Delete, "/api/workgroup/remove-contributor/alice", new { contributor = "bob@example.com" });

        Assert.Equal((409, "not_managed"), (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("reason").GetString()));
        Assert.Equal("edit", await _host.CheckAsync("bob@example.com", "POST", "/notebook/alice/nb/api/kernels"));
    }

    [Fact]
    public async Task Create_NewUser_OwnsTheWorkspaceAtCheckAndCannotCreateASecond()
    {
        var created = await _host.CallAsync("erin@example.com", HttpMethod.Post, "/api/workgroup/create", new { namespace_ = 1, @namespace = "erin" });
        Assert.Equal((200, """{"message":"Created namespace erin"}"""), (created.Status, created.Body));
        Assert.Equal("owner", await _host.CheckAsync("erin@example.com", "DELETE", "/notebook/erin/nb/"));
        Assert.Contains("\"hasWorkgroup\":true", (await _host.CallAsync("erin@example.com", HttpMethod.Get, "/api/workgroup/exists")).Body, StringComparison.Ordinal);

        var second = await _host.CallAsync("erin@example.com", HttpMethod.Post, "/api/workgroup/create", new { @namespace = "erin-two" });
        Assert.Equal((409, "limit_reached"), (second.Status, JsonDocument.Parse(second.Body).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Create_NoNamespaceGiven_TakesTheUserName()
    {
        var created = await _host.CallAsync("frank@example.com", HttpMethod.Post, "/api/workgroup/create", new { });

        Assert.Equal((200, """{"message":"Created namespace frank"}"""), (created.Status, created.Body));
    }

    public static TheoryData<string, object, int, string> BadCreates => new()
    {
        { "erin@example.com", new { @namespace = "kube-system" }, 403, "reserved_name" },
        { "erin@example.com", new { @namespace = "kubeflow" }, 403, "reserved_name" },
        { "erin@example.com", new { @namespace = "istio-system" }, 403, "reserved_name" },
        { "erin@example.com", new { @namespace = "alice" }, 409, "exists" },
        { "erin@example.com", new { @namespace = new string('e', 64) }, 400, "invalid_name" },
        { "erin@example.com", new { @namespace = "Erin" }, 400, "invalid_name" },
        { "erin@example.com", new { @namespace = "erin", user = "alice@example.com" }, 403, "owner_admin_only" },
        { "alice@example.com", new { @namespace = "alice-two" }, 409, "limit_reached" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task Create_BadInput_IsRefused(string user, object body, int status, string reason)
    {
        var answer = await _host.CallAsync(user, HttpMethod.Post, "/api/workgroup/create", body);

        Assert.Equal((status, reason), (answer.Status, JsonDocument.Parse(answer.Body).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Create_AdminForSomeoneElse_IsAllowed()
    {
        var answer = await _host.CallAsync("admin@example.com", HttpMethod.Post, "/api/workgroup/create", new { @namespace = "team-x", user = "erin@example.com" });

        Assert.Equal(200, answer.Status);
        Assert.Equal("owner", await _host.CheckAsync("erin@example.com", "GET", "/notebook/team-x/nb/"));
    }

    [Fact]
    public async Task NukeSelf_Default_IsNotServed()
    {
        var answer = await _host.CallAsync("alice@example.com", HttpMethod.Delete, "/api/workgroup/nuke-self");

        Assert.Equal(404, answer.Status);
    }

    [Fact]
    public async Task Metrics_AfterChanges_CountsByActionAndOutcome()
    {
        await _host.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" });
        await _host.CallAsync("mallory@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "mallory@example.com" });

        var metrics = await _host.Server.Http.GetStringAsync("/metrics");

        Assert.Contains("extauthz_selfservice_changes_total{action=\"share\",outcome=\"done\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("extauthz_selfservice_changes_total{action=\"share\",outcome=\"not_owner\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listeners_ApiAndOps_ServeOnlyTheirOwnRoutes()
    {
        var token = await _host.TokenAsync("alice@example.com");
        using var onOps = new HttpRequestMessage(HttpMethod.Get, "/api/workgroup/exists") { Headers = { Authorization = new("Bearer", token) } };

        Assert.Equal(404, (int)(await _host.Server.Http.SendAsync(onOps)).StatusCode);
        Assert.Equal(404, (int)(await _host.Api.GetAsync("/readyz")).StatusCode);
    }
}
