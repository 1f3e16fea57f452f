using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Plugins.WorkloadIdentity;
using ExtAuthz.Controller.Reconcile;

namespace ExtAuthz.Controller.Tests.Reconcile;

public sealed class DeletionTests
{
    private const string Member = "serviceAccount:cluster-project.svc.id.goog[team-a/default-editor]";
    private const string Other = "serviceAccount:cluster-project.svc.id.goog[other/default-editor]";

    [Fact]
    public async Task Reconcile_DeletedWithoutPlugins_FinalizerRemovedWorkspaceCollected()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");

        h.Api.Profiles.Put(Profiles.With(h.Profile("team-a")!, p => p["metadata"]!["deletionTimestamp"] = "2026-01-01T00:00:00Z"));
        var retry = await h.ReconcileAsync("team-a");

        Assert.False(retry);
        var patch = h.Api.Writes.Last(w => w.Target.Plural == "profiles" && w.Method == "PATCH" && w.Target.Subresource is null);
        Assert.Empty(patch.Body!["metadata"]!["finalizers"]!.AsArray());
    }

    [Fact]
    public async Task Reconcile_ProfileDeletedThroughApi_NamespaceGoesByGarbageCollection()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");
        using var client = new HttpClient();

        (await client.DeleteAsync($"{h.Api.Url}/apis/kubeflow.org/v1/profiles/team-a")).EnsureSuccessStatusCode();
        await h.ReconcileAsync("team-a");

        Assert.Null(h.Profile("team-a"));
        Assert.Null(h.Namespaces.Get("team-a"));
        Assert.Null(h.Api.RoleBindings.Get("team-a/namespaceAdmin"));
    }

    [Fact]
    public async Task Reconcile_DeletedWithKeepNamespace_NamespaceReleasedAndKept()
    {
        await using var h = await ControllerHarness.StartAsync();
        var profile = Profiles.New("team-a");
        profile["metadata"]!["annotations"] = new JsonObject { [ProfileFinalizer.KeepNamespaceAnnotation] = "true" };
        await h.AddProfileAsync(profile);
        await h.ReconcileAsync("team-a");
        using var client = new HttpClient();

        (await client.DeleteAsync($"{h.Api.Url}/apis/kubeflow.org/v1/profiles/team-a")).EnsureSuccessStatusCode();
        await h.ReconcileAsync("team-a");

        Assert.Null(h.Profile("team-a"));
        Assert.NotNull(h.Namespaces.Get("team-a"));
        Assert.Null(Meta.ProfileController(h.Namespaces.Get("team-a")!));
    }

    [Fact]
    public async Task Reconcile_DeletedWithPlugin_RevokesOnlyOurMember()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Profiles.WorkloadIdentity(ControllerHarness.Gsa)));
        h.Iam.SetPolicy(ControllerHarness.GsaResource, new JsonObject
        {
            ["bindings"] = new JsonArray(new JsonObject { ["role"] = WorkloadIdentityBinding.Role, ["members"] = new JsonArray(Other) }),
        });
        await h.ReconcileAsync("team-a");
        Assert.Equal([Other, Member], h.Iam.Members(ControllerHarness.GsaResource, WorkloadIdentityBinding.Role));
        using var client = new HttpClient();

        (await client.DeleteAsync($"{h.Api.Url}/apis/kubeflow.org/v1/profiles/team-a")).EnsureSuccessStatusCode();
        await h.ReconcileAsync("team-a");

        Assert.Equal([Other], h.Iam.Members(ControllerHarness.GsaResource, WorkloadIdentityBinding.Role));
        Assert.Null(h.Profile("team-a"));
    }

    [Fact]
    public async Task Reconcile_RevokeAlwaysForbidden_BoundedAttemptsThenFinalizerRemoved()
    {
        await using var h = await ControllerHarness.StartAsync(o => o.RevokeAttempts = 3);
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Profiles.WorkloadIdentity(ControllerHarness.Gsa)));
        await h.ReconcileAsync("team-a");
        h.Iam.Forbidden = true;
        using var client = new HttpClient();
        (await client.DeleteAsync($"{h.Api.Url}/apis/kubeflow.org/v1/profiles/team-a")).EnsureSuccessStatusCode();

        Assert.True(await h.ReconcileAsync("team-a"));
        var revoked = h.Condition("team-a", "PluginsRevoked")!;
        Assert.Equal("PluginRevokeFailed", revoked["reason"]!.GetValue<string>());
        Assert.Contains("attempt 1 of 3", revoked["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(await h.ReconcileAsync("team-a"));
        Assert.Contains("attempt 2 of 3", h.Condition("team-a", "PluginsRevoked")!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.False(await h.ReconcileAsync("team-a"));

        Assert.Null(h.Profile("team-a"));
        Assert.Contains(h.Api.Writes, w => w.Target.Plural == "events" && w.Body?["reason"]?.GetValue<string>() == "PluginRevokeAbandoned");
        Assert.Contains(h.Api.Writes, w => w.Target.Subresource == "status"
            && w.Body!["status"]!["conditions"]!.AsArray().Any(c => c!["reason"]!.GetValue<string>() == "PluginRevokeAbandoned"));
    }

    [Fact]
    public async Task Reconcile_DeletedWhileIamCallInFlight_RevokedAfterwards()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Iam.Hang = true;
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Profiles.WorkloadIdentity(ControllerHarness.Gsa)));
        await h.SettleAsync();
        var inFlight = h.Runtime.Reconciler.ReconcileAsync("team-a", CancellationToken.None);
        await Eventually.True(() => h.Iam.Held == 1, "the IAM call is in flight");
        using var client = new HttpClient();

        (await client.DeleteAsync($"{h.Api.Url}/apis/kubeflow.org/v1/profiles/team-a")).EnsureSuccessStatusCode();
        h.IamClock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await inFlight);
        h.Iam.Hang = false;
        h.Iam.SetPolicy(ControllerHarness.GsaResource, new JsonObject
        {
            ["bindings"] = new JsonArray(new JsonObject { ["role"] = WorkloadIdentityBinding.Role, ["members"] = new JsonArray(Member, Other) }),
        });
        await h.ReconcileAsync("team-a");

        Assert.Equal([Other], h.Iam.Members(ControllerHarness.GsaResource, WorkloadIdentityBinding.Role));
        Assert.Null(h.Profile("team-a"));
    }
}
