using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Kubernetes.Tests.Fakes;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Server.SelfService;
using ExtAuthz.Server.Tests.Operations.Support;
using ExtAuthz.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>
/// The workspace API with <c>Policy:Source=Kubernetes</c> against the in-process API server: objects named, annotated
/// and labelled as kfam writes them, answers that wait for our own watch, and nothing half-written when the API server
/// refuses or stops answering mid-write. The caller is the dashboard's user, forwarded from the dashboard's mesh identity.
/// </summary>
public sealed class KubernetesWriteTests : IAsyncLifetime
{
    private const string Dashboard = "By=spiffe://cluster.local/ns/extauthz/sa/extauthz;Hash=ab;URI=spiffe://cluster.local/ns/kubeflow/sa/centraldashboard";
    private const string ErinBinding = "user-erin-example-com-clusterrole-edit";

    private readonly FakeKubernetesApi _api = new();
    private ServerInstance _server = null!;
    private HttpClient _http = null!;

    private FakeResource Policies => _api.Group("security.istio.io", "v1beta1", "authorizationpolicies");

    public async Task InitializeAsync()
    {
        _api.Namespaces.Put(KubeJson.Namespace("team-a", "alice@example.com"));
        _api.Profiles.Put(KubeJson.Profile("team-a", "alice@example.com"));
        _api.Namespaces.Put(KubeJson.Namespace("kube-system", owner: null, profileLabels: false));
        _api.Profiles.Put(KubeJson.Profile("kube-system", "mallory@example.com"));
        await _api.StartAsync();
        var connection = new KubernetesConnection(() => new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = _api.Url }));
        _server = await ServerInstance.StartAsync(
            ["--Policy:Source=Kubernetes", "--SelfService:Enabled=true", "--SelfService:Registration=true", "--SelfService:IstioPolicies=true",
                "--SelfService:WriteTimeout=00:00:00.500", "--Policy:ClusterAdmins:0=admin@example.com",
                "--Policy:Kubernetes:BackoffInitial=00:00:00.050", "--Policy:Kubernetes:BackoffMax=00:00:00.200"],
            builder => builder.Host.UseServiceProviderFactory(new OverridingServiceProviderFactory(services => services.AddSingleton(connection))));
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.ApiPort}") };
        var loaded = await _server.Services.GetRequiredService<IndexWait>().UntilAsync(
            () => _server.Services.GetRequiredService<WorkspaceView>().Find("team-a") is not null, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(loaded);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Share_Owner_WritesKfamsRoleBindingAndPolicyAndAnswersOnceIndexed()
    {
        var (status, _) = await SendAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/team-a", new { contributor = "erin@example.com" });

        Assert.Equal(200, status);
        Assert.Contains(_server.Services.GetRequiredService<WorkspaceView>().Find("team-a")!.Bindings, b => b.Name == ErinBinding);
        var binding = _api.RoleBindings.Get($"team-a/{ErinBinding}")!;
        Assert.Equal("erin@example.com", binding["metadata"]!["annotations"]!["user"]!.GetValue<string>());
        Assert.Equal("edit", binding["metadata"]!["annotations"]!["role"]!.GetValue<string>());
        Assert.Equal("extauthz", binding["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"kubeflow-edit"}"""), binding["roleRef"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"erin@example.com"}]"""), binding["subjects"]));
        var policy = Policies.Get($"team-a/{ErinBinding}")!;
        Assert.Equal("""[{"when":[{"key":"request.headers[kubeflow-userid]","values":["erin@example.com"]}],"from":[{"source":{"principals":["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account","cluster.local/ns/kubeflow/sa/ml-pipeline-ui"]}}]}]""",
            policy["spec"]!["rules"]!.ToJsonString());
    }

    [Fact]
    public async Task Share_PolicyRefused_TakesTheRoleBindingBackOut()
    {
        _api.WriteFault = w => w.Method == "POST" && w.Target.Plural == "authorizationpolicies" ? (403, "authorizationpolicies is forbidden") : null;

        var (status, body) = await SendAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/team-a", new { contributor = "erin@example.com" });

        Assert.Equal((502, "cluster_refused"), (status, Reason(body)));
        Assert.Null(_api.RoleBindings.Get($"team-a/{ErinBinding}"));
        Assert.Null(Policies.Get($"team-a/{ErinBinding}"));
        Assert.Contains(_api.Writes, w => w.Method == "DELETE" && w.Target.Plural == "rolebindings");
    }

    [Fact]
    public async Task Share_RoleBindingRefused_WritesNothing()
    {
        _api.WriteFault = w => w.Target.Plural == "rolebindings" ? (403, "rolebindings is forbidden: ValidatingAdmissionPolicy") : null;

        var (status, body) = await SendAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/team-a", new { contributor = "erin@example.com" });

        Assert.Equal((502, "cluster_refused"), (status, Reason(body)));
        Assert.DoesNotContain(_api.Writes, w => w.Target.Plural == "authorizationpolicies");
        Assert.DoesNotContain(_server.Services.GetRequiredService<WorkspaceView>().Find("team-a")!.Bindings, b => b.Name == ErinBinding);
    }

    [Fact]
    public async Task Share_ApiServerSilent_TimesOutAndLeavesNothing()
    {
        _api.WriteDelay = (w, ct) => w.Method == "POST" && w.Target.Plural == "rolebindings" ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask;

        var (status, body) = await SendAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/team-a", new { contributor = "erin@example.com" });

        Assert.Equal((504, "write_timeout"), (status, Reason(body)));
        Assert.Null(_api.RoleBindings.Get($"team-a/{ErinBinding}"));
        Assert.Contains(_api.Writes, w => w.Method == "DELETE" && w.Target.Plural == "rolebindings");
    }

    [Fact]
    public async Task Unshare_RoleBindingDeleteRefused_PutsThePolicyBack()
    {
        Assert.Equal(200, (await SendAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/team-a", new { contributor = "erin@example.com" })).Status);
        _api.WriteFault = w => w.Method == "DELETE" && w.Target.Plural == "rolebindings" ? (403, "forbidden") : null;

        var (status, body) = await SendAsync("alice@example.com", HttpMethod.Delete, "/api/workgroup/remove-contributor/team-a", new { contributor = "erin@example.com" });

        Assert.Equal((502, "cluster_refused"), (status, Reason(body)));
        Assert.NotNull(_api.RoleBindings.Get($"team-a/{ErinBinding}"));
        Assert.NotNull(Policies.Get($"team-a/{ErinBinding}"));
    }

    [Fact]
    public async Task Unshare_Owner_DeletesBothAndAnswersOnceIndexed()
    {
        Assert.Equal(200, (await SendAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/team-a", new { contributor = "erin@example.com" })).Status);

        var (status, body) = await SendAsync("alice@example.com", HttpMethod.Delete, "/api/workgroup/remove-contributor/team-a", new { contributor = "erin@example.com" });

        Assert.Equal((200, "[]"), (status, body));
        Assert.Null(_api.RoleBindings.Get($"team-a/{ErinBinding}"));
        Assert.Null(Policies.Get($"team-a/{ErinBinding}"));
        Assert.DoesNotContain(_server.Services.GetRequiredService<WorkspaceView>().Find("team-a")!.Bindings, b => b.Name == ErinBinding);
    }

    [Fact]
    public async Task Share_UnadoptedProfileOfKubeSystem_IsRefusedAndNothingIsWritten()
    {
        var (status, body) = await SendAsync("mallory@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/kube-system", new { contributor = "mallory2@example.com" });

        Assert.Equal((403, "not_owner"), (status, Reason(body)));
        Assert.DoesNotContain(_api.Writes, w => w.Target.Plural == "rolebindings");
    }

    [Fact]
    public async Task Create_SelfRegistration_WritesAClusterScopedProfile()
    {
        var (status, body) = await SendAsync("erin@example.com", HttpMethod.Post, "/api/workgroup/create", new { @namespace = "erin" });

        Assert.Equal((200, """{"message":"Created namespace erin"}"""), (status, body));
        var profile = _api.Profiles.Get("erin")!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind":"User","name":"erin@example.com"}"""), profile["spec"]!["owner"]));
        Assert.Equal("extauthz", profile["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_AlreadyExistsAtTheApiServer_Is409()
    {
        _api.WriteFault = w => w.Method == "POST" && w.Target.Plural == "profiles" ? (409, "profiles.kubeflow.org \"erin\" already exists") : null;

        var (status, body) = await SendAsync("erin@example.com", HttpMethod.Post, "/api/workgroup/create", new { @namespace = "erin" });

        Assert.Equal((409, "exists"), (status, Reason(body)));
    }

    private async Task<(int Status, string Body)> SendAsync(string user, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("kubeflow-userid", user);
        request.Headers.Add("x-forwarded-client-cert", Dashboard);
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string? Reason(string body) => JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString();
}
