using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Reconcile;

namespace ExtAuthz.Controller.Tests.Reconcile;

public sealed class WorkspaceTests
{
    [Fact]
    public async Task Reconcile_NewProfile_WritesEveryObjectAndReady()
    {
        await using var h = await ControllerHarness.StartAsync();
        var profile = await h.AddProfileAsync(Profiles.New("team-a", quota: Profiles.Quota("4", "8Gi")));

        var retry = await h.ReconcileAsync("team-a");

        Assert.False(retry);
        Assert.NotNull(h.Namespaces.Get("team-a"));
        Assert.NotNull(h.ServiceAccounts.Get("team-a/default-editor"));
        Assert.NotNull(h.ServiceAccounts.Get("team-a/default-viewer"));
        Assert.NotNull(h.Api.RoleBindings.Get("team-a/namespaceAdmin"));
        Assert.NotNull(h.Api.RoleBindings.Get("team-a/default-editor"));
        Assert.NotNull(h.Api.RoleBindings.Get("team-a/default-viewer"));
        Assert.NotNull(h.Quotas.Get("team-a/kf-resource-quota"));
        Assert.NotNull(h.Policies.Get("team-a/extauthz-profile"));
        Assert.NotNull(h.Policies.Get("team-a/extauthz-namespace-allow"));
        var uid = Meta.Uid(profile);
        foreach (var obj in new[] { h.Namespaces.Get("team-a")!, h.ServiceAccounts.Get("team-a/default-editor")!, h.Api.RoleBindings.Get("team-a/namespaceAdmin")!, h.Quotas.Get("team-a/kf-resource-quota")! })
        {
            Assert.Equal(uid, Meta.ProfileController(obj)?.Uid);
        }

        var ready = h.Condition("team-a", "Ready")!;
        Assert.Equal("True", ready["status"]!.GetValue<string>());
        Assert.Equal(1, h.Profile("team-a")!["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Contains(ProfileView.Finalizer, Meta.Finalizers(h.Profile("team-a")!));
        Assert.All(h.Api.Writes.Where(w => w.Method == "PATCH" && w.ContentType.StartsWith("application/apply-patch", StringComparison.Ordinal)),
            w => Assert.True(w.FieldManager == "extauthz-profile-controller" && w.Force, $"{w.Target.Plural} {w.Target.Name}"));
    }

    [Fact]
    public async Task Reconcile_UnchangedCluster_WritesNothing()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", quota: Profiles.Quota("4", "1024Mi")));
        await h.ReconcileAsync("team-a");
        var before = h.Api.Writes.Count;

        await h.ReconcileAsync("team-a");
        await h.ReconcileAsync("team-a");

        Assert.Equal(before, h.Api.Writes.Count);
    }

    [Fact]
    public async Task Reconcile_OwnerChanged_MovesEveryOwnerBearingObject()
    {
        await using var h = await ControllerHarness.StartAsync(o => o.MeshMode = "Compatibility");
        var profile = await h.AddProfileAsync(Profiles.New("team-a", owner: "alice@example.com"));
        await h.ReconcileAsync("team-a");

        var changed = Profiles.With(h.Profile("team-a")!, p => p["spec"]!["owner"]!["name"] = "bob@example.com");
        h.Api.Profiles.Put(changed);
        await h.ReconcileAsync("team-a");

        Assert.Equal("bob@example.com", Meta.Annotation(h.Namespaces.Get("team-a")!, "owner"));
        var admin = h.Api.RoleBindings.Get("team-a/namespaceAdmin")!;
        Assert.Equal("bob@example.com", Meta.Annotation(admin, "user"));
        Assert.Equal("bob@example.com", Assert.Single(admin["subjects"]!.AsArray())!["name"]!.GetValue<string>());
        var policy = h.Policies.Get("team-a/ns-owner-access-istio")!;
        Assert.Equal("bob@example.com", Meta.Annotation(policy, "user"));
        Assert.Equal("bob@example.com", policy["spec"]!["rules"]![0]!["when"]![0]!["values"]![0]!.GetValue<string>());
        Assert.Equal("True", h.Condition("team-a", "Ready")!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reconcile_QuotaAddedChangedRemoved_FollowsTheSpec()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");
        Assert.Null(h.Quotas.Get("team-a/kf-resource-quota"));

        h.Api.Profiles.Put(Profiles.With(h.Profile("team-a")!, p => p["spec"]!["resourceQuotaSpec"] = Profiles.Quota("2", "4Gi")));
        await h.ReconcileAsync("team-a");
        Assert.Equal("2", h.Quotas.Get("team-a/kf-resource-quota")!["spec"]!["hard"]!["cpu"]!.GetValue<string>());

        h.Api.Profiles.Put(Profiles.With(h.Profile("team-a")!, p => p["spec"]!["resourceQuotaSpec"] = Profiles.Quota("8", "4Gi")));
        await h.ReconcileAsync("team-a");
        Assert.Equal("8", h.Quotas.Get("team-a/kf-resource-quota")!["spec"]!["hard"]!["cpu"]!.GetValue<string>());

        h.Api.Profiles.Put(Profiles.With(h.Profile("team-a")!, p => p["spec"]!.AsObject().Remove("resourceQuotaSpec")));
        await h.ReconcileAsync("team-a");
        Assert.Null(h.Quotas.Get("team-a/kf-resource-quota"));
    }

    [Fact]
    public async Task Reconcile_QuotaRefused_QuotaInvalidAndRestInPlace()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Api.WriteFault = w => w.Target.Plural == "resourcequotas" ? (422, "ResourceQuota \"kf-resource-quota\" is invalid: spec.hard[cpu]: Invalid value: \"lots\"") : null;
        await h.AddProfileAsync(Profiles.New("team-a", quota: Profiles.Quota("lots", "1Gi")));

        var retry = await h.ReconcileAsync("team-a");

        Assert.False(retry);
        var ready = h.Condition("team-a", "Ready")!;
        Assert.Equal("QuotaInvalid", ready["reason"]!.GetValue<string>());
        Assert.Contains("spec.hard[cpu]", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(h.Api.RoleBindings.Get("team-a/namespaceAdmin"));
        Assert.Contains(h.Api.Writes, w => w.Target.Plural == "events" && w.Body?["reason"]?.GetValue<string>() == "QuotaInvalid");
    }

    [Fact]
    public async Task Reconcile_HandEditedObjects_PutBack()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");

        h.Api.RoleBindings.Put(Profiles.With(h.Api.RoleBindings.Get("team-a/namespaceAdmin")!, b => b["subjects"]![0]!["name"] = "mallory@example.com"));
        h.Namespaces.Put(Profiles.With(h.Namespaces.Get("team-a")!, n => n["metadata"]!["labels"]!.AsObject().Remove("istio-injection")));
        h.ServiceAccounts.Delete("team-a/default-viewer");
        await h.ReconcileAsync("team-a");

        Assert.Equal("alice@example.com", h.Api.RoleBindings.Get("team-a/namespaceAdmin")!["subjects"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("enabled", h.Namespaces.Get("team-a")!["metadata"]!["labels"]!["istio-injection"]!.GetValue<string>());
        Assert.NotNull(h.ServiceAccounts.Get("team-a/default-viewer"));
    }

    [Fact]
    public async Task Reconcile_RoleRefDiffers_DeletesAndCreates()
    {
        await using var h = await ControllerHarness.StartAsync();
        var profile = await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");
        var wrong = Profiles.With(h.Api.RoleBindings.Get("team-a/default-editor")!, b => b["roleRef"]!["name"] = "kubeflow-view");
        h.Api.RoleBindings.Put(wrong);

        await h.ReconcileAsync("team-a");

        Assert.Equal("kubeflow-edit", h.Api.RoleBindings.Get("team-a/default-editor")!["roleRef"]!["name"]!.GetValue<string>());
        Assert.Contains(h.Api.Writes, w => w.Method == "DELETE" && w.Target.Plural == "rolebindings" && w.Target.Name == "default-editor");
    }

    [Fact]
    public async Task Reconcile_OwnerNotAUser_OwnerInvalidAndNothingWritten()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", ownerKind: "Group"));

        await h.ReconcileAsync("team-a");

        Assert.Equal("OwnerInvalid", h.Condition("team-a", "Ready")!["reason"]!.GetValue<string>());
        Assert.Empty(h.WritesInto("team-a"));
    }

    [Fact]
    public async Task Reconcile_V1beta1Profile_ReadLikeV1()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-b", apiVersion: "kubeflow.org/v1beta1"));

        await h.ReconcileAsync("team-b");

        Assert.Equal("True", h.Condition("team-b", "Ready")!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reconcile_UnknownPlugin_UnknownPluginConditionWorkspaceBuilt()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", plugins: new JsonArray(new JsonObject { ["kind"] = "AzureMagic", ["spec"] = new JsonObject() })));

        await h.ReconcileAsync("team-a");

        var ready = h.Condition("team-a", "Ready")!;
        Assert.Equal("UnknownPlugin", ready["reason"]!.GetValue<string>());
        Assert.Contains("AzureMagic", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(h.Namespaces.Get("team-a"));
    }

    [Fact]
    public async Task Reconcile_FailingTwice_ConditionsReplacedNotAppended()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", plugins: new JsonArray(new JsonObject { ["kind"] = "AzureMagic" })));
        await h.ReconcileAsync("team-a");
        h.Api.Profiles.Put(Profiles.With(h.Profile("team-a")!, p =>
        {
            p["spec"]!["plugins"] = Profiles.WorkloadIdentity("not-an-account");
            p["metadata"]!["generation"] = 2;
        }));

        await h.ReconcileAsync("team-a");

        var conditions = h.Profile("team-a")!["status"]!["conditions"]!.AsArray();
        Assert.Equal("PluginInvalid", Assert.Single(conditions)!["reason"]!.GetValue<string>());
        Assert.Equal(2, h.Profile("team-a")!["status"]!["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public async Task Reconcile_ApiServerRefusesAWrite_ApiErrorAndRetry()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Api.WriteFault = w => w.Target.Plural == "serviceaccounts" ? (500, "etcdserver: request timed out") : null;
        await h.AddProfileAsync(Profiles.New("team-a"));

        var retry = await h.ReconcileAsync("team-a");

        Assert.True(retry);
        var ready = h.Condition("team-a", "Ready")!;
        Assert.Equal("ApiError", ready["reason"]!.GetValue<string>());
        Assert.Contains("etcdserver", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);

        h.Api.WriteFault = null;
        Assert.False(await h.ReconcileAsync("team-a"));
        Assert.Equal("True", h.Condition("team-a", "Ready")!["status"]!.GetValue<string>());
    }
}
