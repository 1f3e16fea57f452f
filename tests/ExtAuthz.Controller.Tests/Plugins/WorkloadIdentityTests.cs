using System.Text.Json.Nodes;
using ExtAuthz.Controller.Plugins.WorkloadIdentity;

namespace ExtAuthz.Controller.Tests.Plugins;

public sealed class WorkloadIdentityTests
{
    private const string Member = "serviceAccount:cluster-project.svc.id.goog[team-a/default-editor]";

    [Fact]
    public async Task Reconcile_WorkloadIdentity_AnnotatesEditorAndAddsMemberOnce()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Profiles.WorkloadIdentity(ControllerHarness.Gsa)));

        await h.ReconcileAsync("team-a");
        await h.ReconcileAsync("team-a");

        Assert.Equal(ControllerHarness.Gsa, h.ServiceAccounts.Get("team-a/default-editor")!["metadata"]!["annotations"]![WorkloadIdentityPlugin.Annotation]!.GetValue<string>());
        Assert.Equal([Member], h.Iam.Members(ControllerHarness.GsaResource, WorkloadIdentityBinding.Role));
        Assert.Single(h.Iam.Calls, c => c.EndsWith(":setIamPolicy", StringComparison.Ordinal));
        Assert.Equal("True", h.Condition("team-a", "Ready")!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reconcile_IamForbidden_PluginFailedWithCloudMessageAndRetry()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Iam.Forbidden = true;
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Profiles.WorkloadIdentity(ControllerHarness.Gsa)));

        var retry = await h.ReconcileAsync("team-a");

        Assert.True(retry);
        var ready = h.Condition("team-a", "Ready")!;
        Assert.Equal("PluginFailed", ready["reason"]!.GetValue<string>());
        Assert.Contains("PERMISSION_DENIED", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("iam.serviceAccounts.getIamPolicy", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(h.Api.Writes, w => w.Target.Plural == "events" && w.Body?["reason"]?.GetValue<string>() == "PluginFailed");
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public async Task Reconcile_EtagConflicts_RetriedWithinACallThenFailed(int conflicts, bool ready)
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Iam.ConflictingSets = conflicts;
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Profiles.WorkloadIdentity(ControllerHarness.Gsa)));

        var retry = await h.ReconcileAsync("team-a");

        Assert.Equal(!ready, retry);
        Assert.Equal(ready ? "WorkspaceReady" : "PluginFailed", h.Condition("team-a", "Ready")!["reason"]!.GetValue<string>());
        Assert.Equal(ready ? [Member] : [], h.Iam.Members(ControllerHarness.GsaResource, WorkloadIdentityBinding.Role));
    }

    [Fact]
    public async Task Reconcile_IamNeverAnswers_TimesOutIntoPluginFailed()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Iam.Hang = true;
        await h.AddProfileAsync(Profiles.New("team-a", plugins: Profiles.WorkloadIdentity(ControllerHarness.Gsa)));
        await h.SettleAsync();

        var reconcile = h.Runtime.Reconciler.ReconcileAsync("team-a", CancellationToken.None);
        await Eventually.True(() => h.Iam.Held == 1, "the IAM call is in flight");
        h.IamClock.Advance(TimeSpan.FromSeconds(11));
        var retry = await reconcile;
        await h.SettleAsync();

        Assert.True(retry);
        Assert.Contains("DEADLINE_EXCEEDED", h.Condition("team-a", "Ready")!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notebooks@ml-project-1.iam.gserviceaccount.com", true)]
    [InlineData("notebooks@ml-project-1.iam.gserviceaccount.com.evil.com", false)]
    [InlineData("notebooks@gmail.com", false)]
    [InlineData("", false)]
    [InlineData("NoteBooks@ml-project-1.iam.gserviceaccount.com", false)]
    public void Parse_ServiceAccount_AcceptsOnlyGoogleServiceAccounts(string account, bool valid)
    {
        var plugin = new WorkloadIdentityPlugin(null!, null);

        var instance = plugin.Parse(new JsonObject { ["gcpServiceAccount"] = account }, out var error);

        Assert.Equal(valid, instance is not null);
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void Remove_LastMember_DropsTheEmptiedBindingKeepsOthers()
    {
        var policy = new JsonObject
        {
            ["bindings"] = new JsonArray(
                new JsonObject { ["role"] = WorkloadIdentityBinding.Role, ["members"] = new JsonArray(Member) },
                new JsonObject { ["role"] = "roles/iam.serviceAccountUser", ["members"] = new JsonArray(Member) }),
        };

        Assert.True(WorkloadIdentityBinding.Remove(policy, Member));

        var binding = Assert.Single(policy["bindings"]!.AsArray())!;
        Assert.Equal("roles/iam.serviceAccountUser", binding["role"]!.GetValue<string>());
        Assert.False(WorkloadIdentityBinding.Remove(policy, Member));
    }
}
