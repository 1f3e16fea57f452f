using Envoy.Service.Auth.V3;
using ExtAuthz.Kubernetes.Tests.Fakes;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Server.Tests.Identity;
using ExtAuthz.Server.Tests.Operations.Support;
using ExtAuthz.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Access;

/// <summary>
/// The whole host with <c>Policy:Source=Kubernetes</c>: the real source (KubernetesClient, informers) lists and
/// watches an in-process API server shaped like a real cluster, and Checks over loopback with RS256 tokens of a
/// Dex-shaped issuer (the development issuer is refused with this source) follow its Profiles, RoleBindings and
/// Namespaces as they change, across a dropped watch too; a Profile its Namespace did not adopt grants nothing and is
/// named on /readyz, on /metrics and in the deny's detail.
/// </summary>
public sealed class KubernetesSourceHostTests : IAsyncLifetime
{
    private readonly FakeKubernetesApi _api = new();
    private readonly HostedIssuers _issuers = new();
    private ServerInstance _server = null!;
    private Authorization.AuthorizationClient _client = null!;

    public async Task InitializeAsync()
    {
        _api.Namespaces.Put(KubeJson.Namespace("team-a", "alice@example.com"));
        _api.Profiles.Put(KubeJson.Profile("team-a", "alice@example.com"));
        _api.Namespaces.Put(KubeJson.Namespace("kubeflow", owner: null, profileLabels: false));
        _api.Profiles.Put(KubeJson.Profile("kubeflow", "mallory@example.com"));
        _api.RoleBindings.Put(KubeJson.Contributor("team-a", "bob@example.com", "view"));
        await _api.StartAsync();
        var connection = new KubernetesConnection(() => new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = _api.Url }));
        _server = await ServerInstance.StartAsync(
            ["--Policy:Source=Kubernetes", $"--Identity:Issuers:0:Issuer={_issuers.Dex.Issuer}", $"--Identity:Issuers:0:Audiences:0={HostedIssuers.DexAudience}",
                "--Policy:Kubernetes:BackoffInitial=00:00:00.050", "--Policy:Kubernetes:BackoffMax=00:00:00.200"],
            builder => builder.Host.UseServiceProviderFactory(new OverridingServiceProviderFactory(services => services.AddSingleton(connection))));
        _client = new Authorization.AuthorizationClient(_server.Channel);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _api.DisposeAsync();
        await _issuers.DisposeAsync();
    }

    [Fact]
    public async Task Check_FollowsTheApiServer_ThroughChangesAndADroppedWatch()
    {
        using var readyz = System.Text.Json.JsonDocument.Parse(await WaitReadyAsync());
        var source = readyz.RootElement.GetProperty("components").GetProperty("index").GetProperty("state").GetProperty("source");
        Assert.Equal("Kubernetes", source.GetProperty("kind").GetString());
        Assert.StartsWith(_api.Url, source.GetProperty("server").GetString(), StringComparison.Ordinal);
        Assert.True(source.GetProperty("connected").GetBoolean());
        var unadopted = source.GetProperty("unadoptedProfiles");
        Assert.Equal(1, unadopted.GetProperty("count").GetInt32());
        Assert.StartsWith("profile kubeflow is not adopted: namespace kubeflow has no owner annotation", unadopted.GetProperty("first")[0].GetString(), StringComparison.Ordinal);

        // The issuer's keys load in the background; readiness waits only for the index.
        await EventuallyAsync("alice@example.com", "POST", "/notebook/team-a/nb/api/kernels", "granted");
        Assert.Equal("granted", await ReasonAsync("bob@example.com", "GET", "/notebook/team-a/nb/"));
        Assert.Equal("read_only", await ReasonAsync("bob@example.com", "POST", "/notebook/team-a/nb/api/kernels"));
        Assert.Equal("no_access", await ReasonAsync("carol@example.com", "GET", "/notebook/team-a/nb/"));
        var taken = await CheckAsync("mallory@example.com", "GET", "/notebook/kubeflow/nb/");
        Assert.Equal("no_access", taken.DynamicMetadata.Fields["reason"].StringValue);
        Assert.StartsWith("profile kubeflow is not adopted", taken.DynamicMetadata.Fields["detail"].StringValue, StringComparison.Ordinal);
        Assert.DoesNotContain("adopted", taken.DeniedResponse.Body, StringComparison.Ordinal);

        // kfam adds one contributor and removes another: the watch carries both to the next Checks.
        _api.RoleBindings.Put(KubeJson.Contributor("team-a", "carol@example.com", "edit"));
        var bob = KubeJson.Contributor("team-a", "bob@example.com", "view");
        _api.RoleBindings.Delete($"team-a/{bob["metadata"]!["name"]!.GetValue<string>()}");
        await EventuallyAsync("carol@example.com", "POST", "/notebook/team-a/nb/api/kernels", "granted");
        await EventuallyAsync("bob@example.com", "GET", "/notebook/team-a/nb/", "no_access");

        // The watch connections drop; a Profile created meanwhile still arrives once the source resumes.
        _api.DropWatches();
        _api.Namespaces.Put(KubeJson.Namespace("team-b", "carol@example.com"));
        _api.Profiles.Put(KubeJson.Profile("team-b", "carol@example.com"));
        await EventuallyAsync("carol@example.com", "DELETE", "/api/namespaces/team-b/notebooks/nb", "granted");
        Assert.Equal("no_access", await ReasonAsync("alice@example.com", "GET", "/notebook/team-b/nb/"));

        var scrape = await _server.Http.GetStringAsync("/metrics");
        Assert.True(Scrape.Value(scrape, "extauthz_watch_restarts_total") >= 1, scrape);
        Assert.Equal(2, Scrape.Value(scrape, "extauthz_index_profiles"));
        Assert.Equal(1, Scrape.Value(scrape, "extauthz_profiles_unadopted"));
    }

    private async Task<string> WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await _server.Http.GetAsync("/readyz");
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never ready:\n{body}");
            await Task.Delay(50);
        }
    }

    private async Task<CheckResponse> CheckAsync(string user, string method, string path) =>
        await _client.CheckAsync(Requests.Istio(method, path, headers: [new("authorization", "Bearer " + _issuers.DexToken(user))]));

    private async Task<string> ReasonAsync(string user, string method, string path)
    {
        var response = await CheckAsync(user, method, path);
        var reason = response.DynamicMetadata.Fields["reason"].StringValue;
        if (reason == "granted")
        {
            Assert.Equal(0, response.Status.Code);
            Assert.Contains(response.OkResponse.Headers, h => h.Header.Key == "kubeflow-userid" && h.Header.Value == user);
        }
        else
        {
            Assert.Equal(403, (int)response.DeniedResponse.Status.Code);
        }

        return reason;
    }

    private async Task EventuallyAsync(string user, string method, string path, string reason)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string last;
        while ((last = await ReasonAsync(user, method, path)) != reason)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{user} {method} {path}: still {last}, expected {reason}");
            await Task.Delay(20);
        }
    }
}
