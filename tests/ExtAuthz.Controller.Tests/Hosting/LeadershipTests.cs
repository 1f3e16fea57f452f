namespace ExtAuthz.Controller.Tests.Hosting;

public sealed class LeadershipTests
{
    private static void ShortLease(ExtAuthz.Controller.Hosting.ControllerOptions o)
    {
        o.LeaderElection.Enabled = true;
        o.LeaderElection.LeaseDuration = TimeSpan.FromSeconds(4);
        o.LeaderElection.RenewDeadline = TimeSpan.FromSeconds(2);
        o.LeaderElection.RetryPeriod = TimeSpan.FromMilliseconds(250);
    }

    [Fact]
    public async Task Run_TwoReplicas_OneLeaderReconciles()
    {
        await using var h = await ControllerHarness.StartAsync(informers: false);
        var first = h.NewRuntime(o => { ShortLease(o); o.LeaderElection.Identity = "replica-1"; });
        var second = h.NewRuntime(o => { ShortLease(o); o.LeaderElection.Identity = "replica-2"; });
        h.RunController(first);
        h.RunController(second);

        h.Api.Profiles.Put(Profiles.New("team-a"));
        await Eventually.True(() => h.Condition("team-a", "Ready")?["status"]?.GetValue<string>() == "True", "team-a Ready");

        Assert.True(first.Leadership.IsLeader ^ second.Leadership.IsLeader, "exactly one leader");
        var (leader, standby) = first.Leadership.IsLeader ? (first, second) : (second, first);
        Assert.True(leader.Controller.Reconciles > 0);
        Assert.Equal(0, standby.Controller.Reconciles);
        Assert.Equal(leader.Leadership.Identity, h.Api.Group("coordination.k8s.io", "v1", "leases").Get("kubeflow/extauthz-profile-controller")!["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_LeaseLost_StopsReconciling()
    {
        await using var h = await ControllerHarness.StartAsync(informers: false);
        var replica = h.NewRuntime(o => { ShortLease(o); o.LeaderElection.Identity = "replica-1"; });
        h.RunController(replica);
        await Eventually.True(() => replica.Leadership.IsLeader, "leading");

        h.Api.WriteFault = w => w.Target.Plural == "leases" ? (500, "etcdserver: request timed out") : null;
        await Eventually.True(() => !replica.Leadership.IsLeader, "lease lost");
        var reconciles = replica.Controller.Reconciles;
        h.Api.Profiles.Put(Profiles.New("team-b"));
        await Eventually.True(() => replica.Cache.Profiles.Get(null, "team-b") is not null, "team-b cached");

        Assert.False(replica.Controller.Running);
        Assert.Equal(reconciles, replica.Controller.Reconciles);
        Assert.Null(h.Namespaces.Get("team-b"));
    }

    [Fact]
    public async Task Run_WholeController_NewProfileReadyThroughTheQueue()
    {
        await using var h = await ControllerHarness.StartAsync(informers: false);
        var replica = h.NewRuntime();
        h.RunController(replica);

        for (var i = 0; i < 20; i++)
        {
            h.Api.Profiles.Put(Profiles.New($"team-{i}"));
        }

        await Eventually.True(() => Enumerable.Range(0, 20).All(i => h.Condition($"team-{i}", "Ready")?["status"]?.GetValue<string>() == "True"), "all Ready");
        Assert.Equal(20, h.Namespaces.Count);
    }

    [Fact]
    public async Task Run_ResyncOfUnchangedCluster_WritesNothing()
    {
        await using var h = await ControllerHarness.StartAsync();
        var replica = h.Runtime;
        h.RunController(replica);
        for (var i = 0; i < 10; i++)
        {
            h.Api.Profiles.Put(Profiles.New($"team-{i}", quota: Profiles.Quota("2", "2048Mi")));
        }

        await Eventually.True(() => Enumerable.Range(0, 10).All(i => h.Condition($"team-{i}", "Ready")?["status"]?.GetValue<string>() == "True"), "all Ready");
        await h.SettleAsync();
        await Eventually.True(() => replica.Queue.Depth == 0, "queue drained");
        var writes = h.Api.Writes.Count;
        var reconciles = replica.Controller.Reconciles;

        replica.Controller.EnqueueAll();
        await Eventually.True(() => replica.Controller.Reconciles >= reconciles + 10 && replica.Queue.Depth == 0, "resync done");

        Assert.Equal(writes, h.Api.Writes.Count);
    }
}
