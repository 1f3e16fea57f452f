using System.Text.Json.Nodes;

namespace ExtAuthz.Controller.Tests.Hosting;

public sealed class LeadershipTests
{
    /// <summary>
    /// A lease far longer than <see cref="Eventually.Deadline"/>: a standby that had to wait it out could not take over
    /// before the wait gives up, so only a released lease lets it.
    /// </summary>
    private static void LongLease(ExtAuthz.Controller.Hosting.ControllerOptions o, string identity)
    {
        o.LeaderElection.Enabled = true;
        o.LeaderElection.Identity = identity;
        o.LeaderElection.LeaseDuration = TimeSpan.FromMinutes(5);
        o.LeaderElection.RenewDeadline = TimeSpan.FromMinutes(1);
        o.LeaderElection.RetryPeriod = TimeSpan.FromMilliseconds(250);
    }

    private static JsonObject Lease(ControllerHarness h) =>
        h.Api.Group("coordination.k8s.io", "v1", "leases").Get("kubeflow/extauthz-profile-controller")!;

    /// <summary>The holder each write of the Lease named, consecutive repeats (renewals) folded.</summary>
    private static List<string> HolderSequence(ControllerHarness h)
    {
        var holders = h.Api.Writes.Where(w => w.Target.Plural == "leases").Select(w => w.Body?["spec"]?["holderIdentity"]?.GetValue<string>() ?? "(none)");
        var folded = new List<string>();
        foreach (var holder in holders.Where(holder => folded.Count == 0 || folded[^1] != holder))
        {
            folded.Add(holder);
        }

        return folded;
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task Run_LeaderStopsGracefully_ReleasesLeaseAndStandbyTakesOver()
    {
        using var logs = new SharedLoggerFactory();
        await using var h = await ControllerHarness.StartAsync(informers: false);
        var first = h.NewRuntime(o => LongLease(o, "replica-1"), logs);
        var second = h.NewRuntime(o => LongLease(o, "replica-2"), logs);
        using var stopFirst = new CancellationTokenSource();
        var firstRun = h.RunController(first, stopFirst.Token);
        await Eventually.True(() => first.Leadership.IsLeader, "replica-1 leading");
        h.RunController(second);
        h.Api.Profiles.Put(Profiles.New("team-a"));
        await Eventually.True(() => h.Condition("team-a", "Ready")?["status"]?.GetValue<string>() == "True", "team-a Ready");

        await StopAsync(stopFirst, firstRun);
        await Eventually.True(() => second.Leadership.IsLeader, "replica-2 leading");
        h.Api.Profiles.Put(Profiles.New("team-b"));
        await Eventually.True(() => h.Condition("team-b", "Ready")?["status"]?.GetValue<string>() == "True", "team-b Ready");

        Assert.False(first.Leadership.IsLeader);
        Assert.True(second.Controller.Reconciles > 0);
        var spec = Lease(h)["spec"]!;
        Assert.Equal("replica-2", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(["replica-1", "", "replica-2"], HolderSequence(h));
        var release = h.Api.Writes.Single(w => w.Target.Plural == "leases" && w.Body?["spec"]?["holderIdentity"]?.GetValue<string>() == "");
        Assert.Equal(1, release.Body!["spec"]!["leaseDurationSeconds"]!.GetValue<int>());
        var order = logs.Logger.Entries.Select(e => (e.EventId, e.Message)).ToList();
        var stopped = order.FindIndex(e => e.EventId == 5011 && e.Message.Contains("replica-1", StringComparison.Ordinal));
        var released = order.FindIndex(e => e.EventId == 5014 && e.Message.Contains("replica-1", StringComparison.Ordinal));
        var started = order.FindIndex(e => e.EventId == 5010 && e.Message.Contains("replica-2", StringComparison.Ordinal));
        Assert.True(stopped >= 0 && stopped < released && released < started, $"stopped {stopped}, released {released}, started {started}");
    }

    [Fact]
    public async Task Run_StandbyStops_LeaderKeepsTheLease()
    {
        using var logs = new SharedLoggerFactory();
        await using var h = await ControllerHarness.StartAsync(informers: false);
        var first = h.NewRuntime(o => LongLease(o, "replica-1"), logs);
        var second = h.NewRuntime(o => LongLease(o, "replica-2"), logs);
        h.RunController(first);
        await Eventually.True(() => first.Leadership.IsLeader, "replica-1 leading");
        using var stopSecond = new CancellationTokenSource();
        var secondRun = h.RunController(second, stopSecond.Token);
        await Eventually.True(() => second.Cache.Synced, "replica-2 running");

        await StopAsync(stopSecond, secondRun);

        Assert.True(first.Leadership.IsLeader);
        Assert.Equal("replica-1", Lease(h)["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(["replica-1"], HolderSequence(h));
        Assert.DoesNotContain(logs.Logger.Entries, e => e.EventId == 5014);
    }

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
