using ExtAuthz.Core.Decisions;
using ExtAuthz.Kubernetes.Tests.Fakes;
using static ExtAuthz.Kubernetes.Tests.Fakes.KubeJson;

namespace ExtAuthz.Kubernetes.Tests.Informers;

/// <summary>The Kubernetes source against a fake API server speaking the real list/watch protocol; each scenario ends in decisions.</summary>
public sealed class KubernetesSourceTests : IAsyncLifetime
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.com";
    private const string Carol = "carol@example.com";
    private const string Mallory = "mallory@example.com";
    private const string AliceNotebook = "/notebook/alice/nb/";

    private readonly FakeKubernetesApi _api = new();
    private KubernetesHarness _harness = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        await _api.DisposeAsync();
    }

    [Fact]
    public async Task InitialList_PagedWithContinue_LoadsEverythingThenDecides()
    {
        foreach (var i in Enumerable.Range(0, 7))
        {
            _api.Profiles.Put(Profile($"team-{i}", $"owner{i}@example.com"));
        }

        _api.Profiles.Put(Profile("alice", Alice));
        _api.Profiles.Put(Profile("kubeflow-user-example-com", "user@example.com", apiVersion: "kubeflow.org/v1beta1"));
        foreach (var binding in ControllerBindings("alice", Alice))
        {
            _api.RoleBindings.Put(binding);
        }

        _api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        _api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await StartAsync(pageSize: 3);

        await Eventually.True(() => _harness.Policy.IsLoaded, "index loaded");

        // 9 profiles in pages of 3, 5 bindings in pages of 3; later pages carry the continue token.
        Assert.Equal(3, _api.CountListPages("/profiles"));
        Assert.Equal(2, _api.CountListPages("/rolebindings"));
        Assert.Equal(1, _api.CountListStarts("/profiles"));
        Assert.Contains(_api.Requests, r => r.Contains("/profiles?", StringComparison.Ordinal) && r.Contains("limit=3", StringComparison.Ordinal) && r.Contains("continue=", StringComparison.Ordinal));
        await Eventually.True(() => _api.Profiles.OpenWatches == 1 && _api.RoleBindings.OpenWatches == 1, "both watches open");
        Assert.Contains(_api.Requests, r => r.Contains("/rolebindings?", StringComparison.Ordinal) && r.Contains("allowWatchBookmarks=true", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));

        Assert.Equal(ReasonCode.Granted, _harness.Decide(Alice, "POST", AliceNotebook).Reason);
        Assert.Equal(AccessRole.Edit, _harness.Decide(Bob, "POST", AliceNotebook).Role);
        Assert.Equal(ReasonCode.ReadOnly, _harness.Decide(Carol, "POST", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide(Mallory, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, _harness.Decide("owner6@example.com", "GET", "/notebook/team-6/nb/").Reason);
        Assert.Equal(ReasonCode.Granted, _harness.Decide("user@example.com", "GET", "/notebook/kubeflow-user-example-com/nb/").Reason);
        Assert.Equal(ReasonCode.Granted, _harness.Decide("system:serviceaccount:alice:default-editor", "POST", "/api/namespaces/alice/notebooks").Reason);
    }

    [Fact]
    public async Task NotReady_UntilBothResourcesListed()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        _api.FailingLists[_api.RoleBindings.Path] = true;
        await StartAsync();

        // Profiles are in, RoleBindings keep failing: nothing is published, every request is no_access.
        await Eventually.True(() => _api.CountWatches("/profiles") >= 1 && _api.Requests.Count(r => r.Contains("/rolebindings?", StringComparison.Ordinal)) >= 2, "profiles watched, bindings retried");
        Assert.False(_harness.Policy.IsLoaded);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide(Alice, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide("admin@example.com", "GET", AliceNotebook).Reason);
        Assert.Contains("HTTP 500", _harness.Describe(), StringComparison.Ordinal);

        _api.FailingLists.Clear();

        await Eventually.True(() => _harness.Policy.IsLoaded, "index loaded");
        Assert.Equal(ReasonCode.Granted, _harness.Decide(Alice, "GET", AliceNotebook).Reason);
    }

    [Fact]
    public async Task WatchEvents_EveryKindForBothResources_ChangeDecisions()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        await StartAsync();
        await Eventually.True(() => _api.Profiles.OpenWatches == 1 && _api.RoleBindings.OpenWatches == 1, "both watches open");

        // ADDED Profile: a new namespace and its owner.
        _api.Profiles.Put(Profile("bob", Bob));
        await _harness.DecisionBecomes(Bob, "GET", "/notebook/bob/nb/", ReasonCode.Granted);

        // ADDED RoleBinding: a contributor.
        _api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await _harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.Granted);
        Assert.Equal(ReasonCode.ReadOnly, _harness.Decide(Carol, "POST", AliceNotebook).Reason);

        // MODIFIED RoleBinding: view becomes edit (same name, new roleRef, as a re-created kfam binding would be).
        var upgraded = Contributor("alice", Carol, "view");
        upgraded["roleRef"]!["name"] = "kubeflow-edit";
        _api.RoleBindings.Put(upgraded);
        await _harness.DecisionBecomes(Carol, "POST", AliceNotebook, ReasonCode.Granted);

        // MODIFIED Profile: the owner changes.
        _api.Profiles.Put(Profile("bob", Mallory));
        await _harness.DecisionBecomes(Mallory, "GET", "/notebook/bob/nb/", ReasonCode.Granted);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide(Bob, "GET", "/notebook/bob/nb/").Reason);

        // DELETED RoleBinding.
        _api.RoleBindings.Delete("alice/user-carol-example-com-clusterrole-view");
        await _harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.NoAccess);

        // DELETED Profile: the namespace is no profile any more, even for its owner.
        _api.Profiles.Delete("bob");
        await _harness.DecisionBecomes(Mallory, "GET", "/notebook/bob/nb/", ReasonCode.NoAccess);
        Assert.Contains("no Profile named bob", _harness.Decide(Mallory, "GET", "/notebook/bob/nb/").Detail, StringComparison.Ordinal);

        // BOOKMARK: only moves the resourceVersion, which the next watch resumes from.
        var bookmark = _api.CurrentVersion + 50;
        _api.RoleBindings.Bookmark(bookmark);
        await Eventually.True(() => _harness.Describe().Contains($"\"ResourceVersion\":\"{bookmark}\"", StringComparison.Ordinal), "bookmark seen");
        _api.DropWatches();
        await Eventually.True(() => _api.Requests.Any(r => r.Contains("/rolebindings?", StringComparison.Ordinal) && r.Contains($"resourceVersion={bookmark}", StringComparison.Ordinal)), "watch resumed from the bookmark");
        Assert.Equal(1, _api.CountListStarts("/rolebindings"));
    }

    [Fact]
    public async Task Gone_AsErrorEvent_RelistsAndRebuilds()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        _api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        await StartAsync();
        await Eventually.True(() => _api.Profiles.OpenWatches == 1 && _api.RoleBindings.OpenWatches == 1, "both watches open");
        Assert.Equal(ReasonCode.Granted, _harness.Decide(Bob, "GET", AliceNotebook).Reason);

        // Changes whose events the server lost (compacted away): only a relist can show them.
        _api.RoleBindings.Delete("alice/user-bob-example-com-clusterrole-edit", silent: true);
        _api.RoleBindings.Put(Contributor("alice", Carol, "edit"), silent: true);
        _api.ExpireWatches();

        await _harness.DecisionBecomes(Bob, "GET", AliceNotebook, ReasonCode.NoAccess);
        await _harness.DecisionBecomes(Carol, "POST", AliceNotebook, ReasonCode.Granted);
        Assert.Equal(2, _api.CountListStarts("/rolebindings"));
        await Eventually.True(() => _api.CountListStarts("/profiles") == 2, "profiles relisted too (both were expired)");
        Assert.True(_harness.Logged.Has(3011, "rolebindings"));
        await Eventually.True(() => _harness.Source.Relists == 2, "both relists counted for /metrics");
        Assert.True(_harness.Source.WatchRestarts >= 2);
    }

    [Fact]
    public async Task Gone_AsHttpStatusOnTheWatch_Relists()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        await StartAsync();
        await Eventually.True(() => _api.Profiles.OpenWatches == 1 && _api.RoleBindings.OpenWatches == 1, "both watches open");

        _api.GoneAsHttpStatus = true;
        _api.Profiles.Put(Profile("bob", Bob), silent: true);
        _api.Profiles.Compact(_api.CurrentVersion);
        _api.DropWatches();

        await _harness.DecisionBecomes(Bob, "GET", "/notebook/bob/nb/", ReasonCode.Granted);
        Assert.Equal(2, _api.CountListStarts("/profiles"));
    }

    [Fact]
    public async Task DroppedStream_MidEvent_ResumesFromTheLastResourceVersionWithoutRelisting()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        await StartAsync();
        await Eventually.True(() => _api.Profiles.OpenWatches == 1 && _api.RoleBindings.OpenWatches == 1, "both watches open");

        var seen = _api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await _harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.Granted);

        // Half of the next event's line arrives, then the connection is reset.
        _api.RoleBindings.PutAndDropMidEvent(Contributor("alice", Bob, "edit"));

        await _harness.DecisionBecomes(Bob, "POST", AliceNotebook, ReasonCode.Granted);
        Assert.Contains(_api.Requests, r => r.Contains("/rolebindings?", StringComparison.Ordinal) && r.Contains($"resourceVersion={seen}&", StringComparison.Ordinal));
        Assert.Equal(1, _api.CountListStarts("/rolebindings"));
        Assert.Equal(ReasonCode.Granted, _harness.Decide(Carol, "GET", AliceNotebook).Reason);
        Assert.Equal(0, _harness.Source.Relists);
        Assert.True(_harness.Source.WatchRestarts >= 1);
    }

    [Fact]
    public async Task ApiServerDownAtStart_ReportsAndRetriesUntilItIsUp()
    {
        await using var api = new FakeKubernetesApi(ExtAuthz.Testing.FreePort.Next());
        api.Profiles.Put(Profile("alice", Alice));
        _harness = new KubernetesHarness(api);
        await _harness.StartAsync();

        await Eventually.True(() => _harness.Describe().Contains("Connection refused", StringComparison.OrdinalIgnoreCase), "a connection failure reported");
        Assert.False(_harness.Policy.IsLoaded);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide(Alice, "GET", AliceNotebook).Reason);
        Assert.True(_harness.Logged.Has(3012));

        await api.StartAsync();

        await _harness.DecisionBecomes(Alice, "GET", AliceNotebook, ReasonCode.Granted);
        await Eventually.True(() => _harness.Describe().Contains("\"connected\":true", StringComparison.Ordinal), "connected again");
        await _harness.DisposeAsync();
        _harness = null!;
    }

    [Fact]
    public async Task NoKubeconfigYet_IsReportedAndRetriedNotFatal()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        await _api.StartAsync();
        var attempts = 0;
        _harness = new KubernetesHarness(_api, connect: client =>
            Interlocked.Increment(ref attempts) <= 3 ? throw new k8s.Exceptions.KubeConfigException("kubeconfig file not found at /nowhere") : client);
        await _harness.StartAsync();

        await _harness.DecisionBecomes(Alice, "GET", AliceNotebook, ReasonCode.Granted);
        Assert.True(attempts > 3);
        Assert.True(_harness.Logged.Has(3012, "kubeconfig file not found"));
    }

    [Fact]
    public async Task ApiServerDownLater_KeepsTheLastSnapshotAndReportsIt()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        _api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        await StartAsync();
        await Eventually.True(() => _api.Profiles.OpenWatches == 1 && _api.RoleBindings.OpenWatches == 1, "both watches open");

        _api.SetDown(true);

        await Eventually.True(() => _harness.Describe().Contains("\"connected\":false", StringComparison.Ordinal), "outage reported");
        Assert.True(_harness.Policy.IsLoaded);
        Assert.Equal(ReasonCode.Granted, _harness.Decide(Alice, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, _harness.Decide(Bob, "POST", AliceNotebook).Reason);
        Assert.True(_harness.Describe().Contains("\"LastError\":\"watch:", StringComparison.Ordinal), _harness.Describe());

        // Back up: a change made during the outage arrives through the resumed watch.
        _api.RoleBindings.Delete("alice/user-bob-example-com-clusterrole-edit");
        _api.SetDown(false);

        await _harness.DecisionBecomes(Bob, "POST", AliceNotebook, ReasonCode.NoAccess);
        await Eventually.True(() => _harness.Describe().Contains("\"connected\":true", StringComparison.Ordinal), "connected again");
    }

    [Fact]
    public async Task MalformedObjects_AreSkippedNeverFatal()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        _api.Profiles.PutRaw("broken", """{"apiVersion":"kubeflow.org/v1","kind":"Profile","metadata":{"name":"broken","resourceVersion":"5"},"spec":{"owner":"mallory@example.com"}}""");
        _api.RoleBindings.PutRaw("alice/bad-subjects", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"bad-subjects","namespace":"alice","resourceVersion":"6"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"kubeflow-edit"},"subjects":7}""");
        _api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        await StartAsync();

        await Eventually.True(() => _harness.Policy.IsLoaded, "index loaded");
        Assert.Equal(ReasonCode.Granted, _harness.Decide(Bob, "POST", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide(Mallory, "GET", "/notebook/broken/nb/").Reason);
        Assert.True(_harness.Logged.Has(3013, "alice/bad-subjects"));
        Assert.True(_harness.Logged.Has(3013, "broken"));
        await Eventually.True(() => _api.RoleBindings.OpenWatches == 1, "watch open");

        // A good binding turns malformed: its grant goes (the cluster no longer holds what we had).
        _api.RoleBindings.PutRaw("alice/user-bob-example-com-clusterrole-edit",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"user-bob-example-com-clusterrole-edit","namespace":"alice","resourceVersion":"9"},"roleRef":"kubeflow-edit"}""");
        await _harness.DecisionBecomes(Bob, "POST", AliceNotebook, ReasonCode.NoAccess);

        // A malformed ADDED changes nothing, and the next good event still applies.
        _api.RoleBindings.PutRaw("alice/worse", """{"kind":"RoleBinding","metadata":{"name":["x"]}}""");
        _api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await _harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.Granted);
        Assert.Contains("\"MalformedObjects\":", _harness.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrayAndHandMadeBindings_GrantOnlyByRoleRefAndSubjects()
    {
        _api.Profiles.Put(Profile("alice", Alice));
        _api.RoleBindings.Put(Contributor("alice", "dave@example.com", "admin", clusterRole: "admin"));
        _api.RoleBindings.Put(RoleBinding("alice", "handmade", "kubeflow-view", [User("erin@example.com")]));
        _api.RoleBindings.Put(RoleBinding("alice", "user-mallory-example-com-clusterrole-edit", "kubeflow-edit", [User("frank@example.com")],
            new Dictionary<string, string> { ["user"] = Mallory, ["role"] = "edit" }));
        _api.RoleBindings.Put(RoleBinding("alice", "namespaced-role", "kubeflow-edit", [User("gina@example.com")], roleRefKind: "Role"));
        await StartAsync();
        await Eventually.True(() => _harness.Policy.IsLoaded, "index loaded");

        Assert.Equal(ReasonCode.NoAccess, _harness.Decide("dave@example.com", "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, _harness.Decide("erin@example.com", "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide(Mallory, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, _harness.Decide("frank@example.com", "POST", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, _harness.Decide("gina@example.com", "GET", AliceNotebook).Reason);
    }

    private async Task StartAsync(int pageSize = 500)
    {
        await _api.StartAsync();
        _harness = new KubernetesHarness(_api, pageSize);
        await _harness.StartAsync();
    }
}
