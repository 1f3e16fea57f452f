using ExtAuthz.Core.Decisions;
using ExtAuthz.Kubernetes.Tests.Fakes;
using static ExtAuthz.Kubernetes.Tests.Fakes.KubeJson;

namespace ExtAuthz.Kubernetes.Tests.Informers;

/// <summary>
/// The profile controller's adoption rule through the Kubernetes source: a Profile counts only while the Namespace of its
/// name exists with an <c>owner</c> annotation equal to its owner, as the list and every watch event say.
/// </summary>
public sealed class ProfileAdoptionSourceTests : SourceTestBase
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.com";
    private const string Trudy = "trudy@example.com";
    private const string AliceNotebook = "/notebook/alice/nb/";
    private const string JupyterWebApp = "spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app-service-account";

    public static TheoryData<string, string?, bool, string> Listed => new()
    {
        { "owner annotation equal", Alice, true, "owner of profile alice" },
        { "owner annotation differs", Bob, false, "namespace alice has owner annotation 'bob@example.com', the profile names 'alice@example.com'" },
        { "owner annotation differs only in case", "Alice@Example.com", false, "has owner annotation 'Alice@Example.com'" },
        { "owner annotation missing", null, false, "namespace alice has no owner annotation" },
        { "Namespace absent", "(none)", false, "the namespace alice does not exist" },
    };

    [Theory]
    [MemberData(nameof(Listed))]
    public async Task List_ProfileCountsOnlyWhenItsNamespaceAgrees(string because, string? annotation, bool adopted, string detail)
    {
        if (annotation != "(none)")
        {
            Api.Namespaces.Put(Namespace("alice", annotation));
        }

        Api.Profiles.Put(Profile("alice", Alice));
        Api.RoleBindings.Put(Contributor("alice", Bob, "edit"));
        await StartAsync();
        await Eventually.True(() => Harness.Policy.IsLoaded, "index loaded");

        var owner = Harness.Decide(Alice, "GET", AliceNotebook);
        var contributor = Harness.Decide(Bob, "POST", AliceNotebook);

        Assert.True(adopted == (owner.Reason == ReasonCode.Granted), because);
        Assert.True(adopted == (contributor.Reason == ReasonCode.Granted), because);
        Assert.Equal(adopted, Harness.Index.Current!.IsProfileNamespace("alice"));
        Assert.Contains(detail, owner.Detail, StringComparison.Ordinal);
        Assert.Equal(adopted ? 0 : 1, Harness.Index.Current.UnadoptedCount);
        if (!adopted)
        {
            Assert.Contains("profile alice is not adopted", Harness.Describe(), StringComparison.Ordinal);
            Assert.True(Harness.Logged.Has(3005, "profile alice is not adopted"));
        }
    }

    [Fact]
    public async Task NamespaceEvents_AdoptLaterAndUnadoptOnDelete()
    {
        Api.Profiles.Put(Profile("alice", Alice));
        await StartAsync();
        await Eventually.True(() => Api.Namespaces.OpenWatches == 1 && Api.Profiles.OpenWatches == 1, "watches open");
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Alice, "GET", AliceNotebook).Reason);

        // ADDED Namespace without the annotation (made by hand first), then MODIFIED with it: adopted.
        Api.Namespaces.Put(Namespace("alice", null));
        await Eventually.True(() => Harness.Decide(Alice, "GET", AliceNotebook).Detail!.Contains("no owner annotation", StringComparison.Ordinal), "no annotation");
        Api.Namespaces.Put(Namespace("alice", Alice));
        await Harness.DecisionBecomes(Alice, "GET", AliceNotebook, ReasonCode.Granted);
        Assert.Equal(0, Harness.Index.Current!.UnadoptedCount);

        // BOOKMARK on namespaces: the next watch resumes from it, without a relist.
        var bookmark = Api.CurrentVersion + 50;
        Api.Namespaces.Bookmark(bookmark);
        await Eventually.True(() => Harness.Describe().Contains($"\"ResourceVersion\":\"{bookmark}\"", StringComparison.Ordinal), "bookmark seen");
        Api.DropWatches();
        await Eventually.True(() => Api.Requests.Any(r => r.Contains("/namespaces?", StringComparison.Ordinal) && r.Contains($"resourceVersion={bookmark}", StringComparison.Ordinal)), "watch resumed from the bookmark");

        // DELETED Namespace: the Profile stays, and grants nothing.
        Api.Namespaces.Delete("alice");
        await Harness.DecisionBecomes(Alice, "GET", AliceNotebook, ReasonCode.NoAccess);
        Assert.Contains("the namespace alice does not exist", Harness.Decide(Alice, "GET", AliceNotebook).Detail, StringComparison.Ordinal);
        Assert.False(Harness.Index.Current!.IsProfileNamespace("alice"));
        Assert.Equal(1, Api.CountListStarts("/namespaces"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NamespacesGone_RelistShowsChangesTheWatchLost(bool asHttpStatus)
    {
        Api.Namespaces.Put(Namespace("alice", Alice));
        Api.Profiles.Put(Profile("alice", Alice));
        Api.Profiles.Put(Profile("bob", Bob));
        await StartAsync();
        await Eventually.True(() => Api.Namespaces.OpenWatches == 1, "namespaces watched");
        Assert.Equal(ReasonCode.Granted, Harness.Decide(Alice, "GET", AliceNotebook).Reason);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide(Bob, "GET", "/notebook/bob/nb/").Reason);

        // Lost events: alice's Namespace goes, bob's comes. Only a relist can show them.
        Api.GoneAsHttpStatus = asHttpStatus;
        Api.Namespaces.Delete("alice", silent: true);
        Api.Namespaces.Put(Namespace("bob", Bob), silent: true);
        Api.Namespaces.Compact(Api.CurrentVersion);
        if (asHttpStatus)
        {
            Api.DropWatches();
        }
        else
        {
            Api.Namespaces.Broadcast(new WatchCommand(FakeResource.GoneEvent(Api.CurrentVersion - 1, Api.CurrentVersion), WatchAction.Send));
        }

        await Harness.DecisionBecomes(Bob, "GET", "/notebook/bob/nb/", ReasonCode.Granted);
        await Harness.DecisionBecomes(Alice, "GET", AliceNotebook, ReasonCode.NoAccess);
        Assert.Equal(2, Api.CountListStarts("/namespaces"));
        Assert.True(Harness.Logged.Has(3011, "namespaces"));
    }

    [Fact]
    public async Task Takeover_StrangersProfileNamedKubeflow_GrantsNothingAndBreaksNoWebApp()
    {
        Api.Namespaces.Put(Namespace("kubeflow", owner: null, profileLabels: false));
        Api.Profiles.Put(Profile("kubeflow", Trudy));
        Api.RoleBindings.Put(Contributor("kubeflow", "friend@example.com", "edit"));
        Api.Namespaces.Put(Namespace("alice", Alice));
        Api.Profiles.Put(Profile("alice", Alice));
        Api.RoleBindings.Put(Contributor("alice", Bob, "view"));
        await StartAsync();
        await Eventually.True(() => Harness.Policy.IsLoaded, "index loaded");

        // Neither the Profile's owner nor a binding in its namespace gets anything.
        var taken = Harness.Decide(Trudy, "POST", "/api/namespaces/kubeflow/notebooks");
        Assert.Equal(ReasonCode.NoAccess, taken.Reason);
        Assert.Contains("profile kubeflow is not adopted: namespace kubeflow has no owner annotation", taken.Detail, StringComparison.Ordinal);
        Assert.Equal(ReasonCode.NoAccess, Harness.Decide("friend@example.com", "GET", "/api/namespaces/kubeflow/notebooks").Reason);
        Assert.False(Harness.Index.Current!.IsProfileNamespace("kubeflow"));

        // Sidecar mode: the Kubeflow web apps in kubeflow still read the namespace from the path for everyone else.
        var owner = Harness.DecideAt(JupyterWebApp, Alice, "GET", "/api/namespaces/alice/notebooks");
        Assert.Equal((ReasonCode.Granted, AccessRole.Owner, "alice"), (owner.Reason, owner.Role, owner.Namespace));
        Assert.Equal(ReasonCode.Granted, Harness.DecideAt(JupyterWebApp, Bob, "GET", "/api/namespaces/alice/notebooks").Reason);
        Assert.Equal(ReasonCode.NoAccess, Harness.DecideAt(JupyterWebApp, Trudy, "GET", "/api/namespaces/alice/notebooks").Reason);
        Assert.Equal(ReasonCode.Authenticated, Harness.DecideAt(JupyterWebApp, Trudy, "GET", "/").Reason);
    }
}
