using ExtAuthz.Core.Decisions;
using ExtAuthz.Kubernetes.Tests.Fakes;
using static ExtAuthz.Kubernetes.Tests.Fakes.KubeJson;

namespace ExtAuthz.Kubernetes.Tests.Informers;

/// <summary>The Kubernetes source against a fake API server speaking the real list/watch protocol; each scenario ends in decisions.</summary>
public sealed class KubernetesSourceTests : SourceTestBase
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.com";
    private const string Carol = "carol@example.com";
    private const string Mallory = "mallory@example.com";
    private const string AliceNotebook = "/notebook/alice/nb/";

    [Fact]
    public async Task InitialList_PagedWithContinue_LoadsEverythingThenDecides()
    {
        foreach (var i in Enumerable.Range(0, 7))
        {
            Adopted($"team-{i}", $"owner{i}@example.com");
        }

        Adopted("alice", Alice);
        Api.Namespaces.Put(Namespace("kubeflow-user-example-com", "user@example.com"));
        Api.Profiles.Put(Profile("kubeflow-user-example-com", "user@example.com", apiVersion: "kubeflow.org/v1beta1"));
        foreach (var binding in ControllerBindings("alice", Alice))
        {
            Api.RoleBindings.Put(binding);
        }

        Api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        Api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await StartAsync(pageSize: 3);

        await Eventually.True(() => Harness.Policy.IsLoaded, "index loaded");

        // 9 profiles in pages of 3, 5 bindings in pages of 3, 9 namespaces in pages of 3; later pages carry the continue token.
        Assert.Equal(3, Api.CountListPages("/profiles"));
        Assert.Equal(2, Api.CountListPages("/rolebindings"));
        Assert.Equal(3, Api.CountListPages("/namespaces"));
        Assert.Equal(1, Api.CountListStarts("/profiles"));
        Assert.Contains(Api.Requests, r => r.Contains("/profiles?", StringComparison.Ordinal) && r.Contains("limit=3", StringComparison.Ordinal) && r.Contains("continue=", StringComparison.Ordinal));
        await Eventually.True(() => Api.Profiles.OpenWatches == 1 && Api.RoleBindings.OpenWatches == 1 && Api.Namespaces.OpenWatches == 1, "three watches open");
        Assert.Contains(Api.Requests, r => r.Contains("/rolebindings?", StringComparison.Ordinal) && r.Contains("allowWatchBookmarks=true", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));
        Assert.Contains(Api.Requests, r => r.StartsWith("GET /api/v1/namespaces?", StringComparison.Ordinal) && r.Contains("allowWatchBookmarks=true", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal));

        Assert.Equal(ReasonCode.Granted, Harness.Decide(Alice, "POST", AliceNotebook).Reason);
        Assert.Equal(AccessRole.Edit, Harness.Decide(Bob, "POST", AliceNotebook).Role);
        Assert.Equal(ReasonCode.ReadOnly, Harness.Decide(Carol, "POST", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Mallory, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, Harness.Decide("owner6@example.com", "GET", "/notebook/team-6/nb/").Reason);
        Assert.Equal(ReasonCode.Granted, Harness.Decide("user@example.com", "GET", "/notebook/kubeflow-user-example-com/nb/").Reason);
        Assert.Equal(ReasonCode.Granted, Harness.Decide("system:serviceaccount:alice:default-editor", "POST", "/api/namespaces/alice/notebooks").Reason);
    }

    [Theory]
    [InlineData("/rolebindings")]
    [InlineData("/namespaces")]
    public async Task NotReady_UntilEveryResourceListed(string failing)
    {
        Adopted("alice", Alice);
        var path = failing == "/namespaces" ? Api.Namespaces.Path : Api.RoleBindings.Path;
        Api.FailingLists[path] = true;
        await StartAsync();

        // The others are in, one keeps failing: nothing is published, every request is no_access.
        await Eventually.True(() => Api.CountWatches("/profiles") >= 1 && Api.Requests.Count(r => r.Contains(failing + "?", StringComparison.Ordinal)) >= 2, "profiles watched, the failing list retried");
        Assert.False(Harness.Policy.IsLoaded);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Alice, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide("admin@example.com", "GET", AliceNotebook).Reason);
        Assert.Contains("HTTP 500", Harness.Describe(), StringComparison.Ordinal);

        Api.FailingLists.Clear();

        await Eventually.True(() => Harness.Policy.IsLoaded, "index loaded");
        Assert.Equal(ReasonCode.Granted, Harness.Decide(Alice, "GET", AliceNotebook).Reason);
    }

    [Fact]
    public async Task WatchEvents_EveryKindForEveryResource_ChangeDecisions()
    {
        Adopted("alice", Alice);
        await StartAsync();
        await Eventually.True(() => Api.Profiles.OpenWatches == 1 && Api.RoleBindings.OpenWatches == 1 && Api.Namespaces.OpenWatches == 1, "the watches open");

        // ADDED Profile (its Namespace first, as the profile controller makes it): a new namespace and its owner.
        Adopted("bob", Bob);
        await Harness.DecisionBecomes(Bob, "GET", "/notebook/bob/nb/", ReasonCode.Granted);

        // ADDED RoleBinding: a contributor.
        Api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await Harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.Granted);
        Assert.Equal(ReasonCode.ReadOnly, Harness.Decide(Carol, "POST", AliceNotebook).Reason);

        // MODIFIED RoleBinding: view becomes edit (same name, new roleRef, as a re-created kfam binding would be).
        var upgraded = Contributor("alice", Carol, "view");
        upgraded["roleRef"]!["name"] = "kubeflow-edit";
        Api.RoleBindings.Put(upgraded);
        await Harness.DecisionBecomes(Carol, "POST", AliceNotebook, ReasonCode.Granted);

        // MODIFIED Profile: the owner changes, but the Namespace still names the old one, so nobody owns bob...
        Api.Profiles.Put(Profile("bob", Mallory));
        await Harness.DecisionBecomes(Bob, "GET", "/notebook/bob/nb/", ReasonCode.NoAccess);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Mallory, "GET", "/notebook/bob/nb/").Reason);

        // ...until the Namespace's owner annotation follows (MODIFIED Namespace).
        Api.Namespaces.Put(Namespace("bob", Mallory));
        await Harness.DecisionBecomes(Mallory, "GET", "/notebook/bob/nb/", ReasonCode.Granted);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Bob, "GET", "/notebook/bob/nb/").Reason);

        // DELETED RoleBinding.
        Api.RoleBindings.Delete("alice/user-carol-example-com-clusterrole-view");
        await Harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.NoAccess);

        // DELETED Profile: the namespace is no profile any more, even for its owner.
        Api.Profiles.Delete("bob");
        await Harness.DecisionBecomes(Mallory, "GET", "/notebook/bob/nb/", ReasonCode.NoAccess);
        Assert.Contains("no Profile named bob", Harness.Decide(Mallory, "GET", "/notebook/bob/nb/").Detail, StringComparison.Ordinal);

        // BOOKMARK: only moves the resourceVersion, which the next watch resumes from.
        var bookmark = Api.CurrentVersion + 50;
        Api.RoleBindings.Bookmark(bookmark);
        await Eventually.True(() => Harness.Describe().Contains($"\"ResourceVersion\":\"{bookmark}\"", StringComparison.Ordinal), "bookmark seen");
        Api.DropWatches();
        await Eventually.True(() => Api.Requests.Any(r => r.Contains("/rolebindings?", StringComparison.Ordinal) && r.Contains($"resourceVersion={bookmark}", StringComparison.Ordinal)), "watch resumed from the bookmark");
        Assert.Equal(1, Api.CountListStarts("/rolebindings"));
    }

    [Fact]
    public async Task Gone_AsErrorEvent_RelistsAndRebuilds()
    {
        Adopted("alice", Alice);
        Api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        await StartAsync();
        await Eventually.True(() => Api.Profiles.OpenWatches == 1 && Api.RoleBindings.OpenWatches == 1 && Api.Namespaces.OpenWatches == 1, "the watches open");
        Assert.Equal(ReasonCode.Granted, Harness.Decide(Bob, "GET", AliceNotebook).Reason);

        // Changes whose events the server lost (compacted away): only a relist can show them.
        Api.RoleBindings.Delete("alice/user-bob-example-com-clusterrole-edit", silent: true);
        Api.RoleBindings.Put(Contributor("alice", Carol, "edit"), silent: true);
        Api.ExpireWatches();

        await Harness.DecisionBecomes(Bob, "GET", AliceNotebook, ReasonCode.NoAccess);
        await Harness.DecisionBecomes(Carol, "POST", AliceNotebook, ReasonCode.Granted);
        Assert.Equal(2, Api.CountListStarts("/rolebindings"));
        await Eventually.True(() => Api.CountListStarts("/profiles") == 2 && Api.CountListStarts("/namespaces") == 2, "profiles and namespaces relisted too (all were expired)");
        Assert.True(Harness.Logged.Has(3011, "rolebindings"));
        await Eventually.True(() => Harness.Source.Relists == 3, "the three relists counted for /metrics");
        Assert.True(Harness.Source.WatchRestarts >= 3);
    }

    [Fact]
    public async Task Gone_AsHttpStatusOnTheWatch_Relists()
    {
        Adopted("alice", Alice);
        await StartAsync();
        await Eventually.True(() => Api.Profiles.OpenWatches == 1 && Api.RoleBindings.OpenWatches == 1 && Api.Namespaces.OpenWatches == 1, "the watches open");

        Api.GoneAsHttpStatus = true;
        Api.Namespaces.Put(Namespace("bob", Bob));
        Api.Profiles.Put(Profile("bob", Bob), silent: true);
        Api.Profiles.Compact(Api.CurrentVersion);
        Api.DropWatches();

        await Harness.DecisionBecomes(Bob, "GET", "/notebook/bob/nb/", ReasonCode.Granted);
        Assert.Equal(2, Api.CountListStarts("/profiles"));
    }

    [Fact]
    public async Task DroppedStream_MidEvent_ResumesFromTheLastResourceVersionWithoutRelisting()
    {
        Adopted("alice", Alice);
        await StartAsync();
        await Eventually.True(() => Api.Profiles.OpenWatches == 1 && Api.RoleBindings.OpenWatches == 1 && Api.Namespaces.OpenWatches == 1, "the watches open");

        var seen = Api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await Harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.Granted);

        // Half of the next event's line arrives, then the connection is reset.
        Api.RoleBindings.PutAndDropMidEvent(Contributor("alice", Bob, "edit"));

        await Harness.DecisionBecomes(Bob, "POST", AliceNotebook, ReasonCode.Granted);
        Assert.Contains(Api.Requests, r => r.Contains("/rolebindings?", StringComparison.Ordinal) && r.Contains($"resourceVersion={seen}&", StringComparison.Ordinal));
        Assert.Equal(1, Api.CountListStarts("/rolebindings"));
        Assert.Equal(ReasonCode.Granted, Harness.Decide(Carol, "GET", AliceNotebook).Reason);
        Assert.Equal(0, Harness.Source.Relists);
        Assert.True(Harness.Source.WatchRestarts >= 1);
    }

    [Fact]
    public async Task ApiServerDownAtStart_ReportsAndRetriesUntilItIsUp()
    {
        await using var api = new FakeKubernetesApi(ExtAuthz.Testing.FreePort.Next());
        api.Namespaces.Put(Namespace("alice", Alice));
        api.Profiles.Put(Profile("alice", Alice));
        Harness = new KubernetesHarness(api);
        await Harness.StartAsync();

        await Eventually.True(() => Harness.Describe().Contains("Connection refused", StringComparison.OrdinalIgnoreCase), "a connection failure reported");
        Assert.False(Harness.Policy.IsLoaded);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Alice, "GET", AliceNotebook).Reason);
        Assert.True(Harness.Logged.Has(3012));

        await api.StartAsync();

        await Harness.DecisionBecomes(Alice, "GET", AliceNotebook, ReasonCode.Granted);
        await Eventually.True(() => Harness.Describe().Contains("\"connected\":true", StringComparison.Ordinal), "connected again");
        await Harness.DisposeAsync();
        Harness = null!;
    }

    [Fact]
    public async Task NoKubeconfigYet_IsReportedAndRetriedNotFatal()
    {
        Adopted("alice", Alice);
        await Api.StartAsync();
        var attempts = 0;
        Harness = new KubernetesHarness(Api, connect: client =>
            Interlocked.Increment(ref attempts) <= 3 ? throw new k8s.Exceptions.KubeConfigException("kubeconfig file not found at /nowhere") : client);
        await Harness.StartAsync();

        await Harness.DecisionBecomes(Alice, "GET", AliceNotebook, ReasonCode.Granted);
        Assert.True(attempts > 3);
        Assert.True(Harness.Logged.Has(3012, "kubeconfig file not found"));
    }

    [Fact]
    public async Task ApiServerDownLater_KeepsTheLastSnapshotAndReportsIt()
    {
        Adopted("alice", Alice);
        Api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        await StartAsync();
        await Eventually.True(() => Api.Profiles.OpenWatches == 1 && Api.RoleBindings.OpenWatches == 1 && Api.Namespaces.OpenWatches == 1, "the watches open");

        Api.SetDown(true);

        await Eventually.True(() => Harness.Describe().Contains("\"connected\":false", StringComparison.Ordinal), "outage reported");
        Assert.True(Harness.Policy.IsLoaded);
        Assert.Equal(ReasonCode.Granted, Harness.Decide(Alice, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, Harness.Decide(Bob, "POST", AliceNotebook).Reason);
        Assert.True(Harness.Describe().Contains("\"LastError\":\"watch:", StringComparison.Ordinal), Harness.Describe());

        // Back up: a change made during the outage arrives through the resumed watch.
        Api.RoleBindings.Delete("alice/user-bob-example-com-clusterrole-edit");
        Api.SetDown(false);

        await Harness.DecisionBecomes(Bob, "POST", AliceNotebook, ReasonCode.NoAccess);
        await Eventually.True(() => Harness.Describe().Contains("\"connected\":true", StringComparison.Ordinal), "connected again");
    }

    [Fact]
    public async Task MalformedObjects_AreSkippedNeverFatal()
    {
        Adopted("alice", Alice);
        Api.Profiles.PutRaw("broken", """{"apiVersion":"kubeflow.org/v1","kind":"Profile","metadata":{"name":"broken","resourceVersion":"5"},"spec":{"owner":"mallory@example.com"}}""");
        Api.RoleBindings.PutRaw("alice/bad-subjects", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"bad-subjects","namespace":"alice","resourceVersion":"6"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"kubeflow-edit"},"subjects":7}""");
        Api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        await StartAsync();

        await Eventually.True(() => Harness.Policy.IsLoaded, "index loaded");
        Assert.Equal(ReasonCode.Granted, Harness.Decide(Bob, "POST", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Mallory, "GET", "/notebook/broken/nb/").Reason);
        Assert.True(Harness.Logged.Has(3013, "alice/bad-subjects"));
        Assert.True(Harness.Logged.Has(3013, "broken"));
        await Eventually.True(() => Api.RoleBindings.OpenWatches == 1, "watch open");

        // A good binding turns malformed: its grant goes (the cluster no longer holds what we had).
        Api.RoleBindings.PutRaw("alice/user-bob-example-com-clusterrole-edit",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"user-bob-example-com-clusterrole-edit","namespace":"alice","resourceVersion":"9"},"roleRef":"kubeflow-edit"}""");
        await Harness.DecisionBecomes(Bob, "POST", AliceNotebook, ReasonCode.NoAccess);

        // A malformed ADDED changes nothing, and the next good event still applies.
        Api.RoleBindings.PutRaw("alice/worse", """{"kind":"RoleBinding","metadata":{"name":["x"]}}""");
        Api.RoleBindings.Put(Contributor("alice", Carol, "view"));
        await Harness.DecisionBecomes(Carol, "GET", AliceNotebook, ReasonCode.Granted);
        Assert.Contains("\"MalformedObjects\":", Harness.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrayAndHandMadeBindings_GrantOnlyByRoleRefAndSubjects()
    {
        Adopted("alice", Alice);
        Api.RoleBindings.Put(Contributor("alice", "dave@example.com", "admin", clusterRole: "admin"));
        Api.RoleBindings.Put(RoleBinding("alice", "handmade", "kubeflow-view", [User("erin@example.com")]));
        Api.RoleBindings.Put(RoleBinding("alice", "user-mallory-example-com-clusterrole-edit", "kubeflow-edit", [User("frank@example.com")],
            new Dictionary<string, string> { ["user"] = Mallory, ["role"] = "edit" }));
        Api.RoleBindings.Put(RoleBinding("alice", "namespaced-role", "kubeflow-edit", [User("gina@example.com")], roleRefKind: "Role"));
        await StartAsync();
        await Eventually.True(() => Harness.Policy.IsLoaded, "index loaded");

        Assert.Equal(ReasonCode.NoAccess, Harness.Decide("dave@example.com", "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, Harness.Decide("erin@example.com", "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Mallory, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.Granted, Harness.Decide("frank@example.com", "POST", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide("gina@example.com", "GET", AliceNotebook).Reason);
    }

    /// <summary>A Profile and the Namespace the profile controller made for it, with its owner annotation.</summary>
    private void Adopted(string name, string owner)
    {
        Api.Namespaces.Put(Namespace(name, owner));
        Api.Profiles.Put(Profile(name, owner));
    }
}
