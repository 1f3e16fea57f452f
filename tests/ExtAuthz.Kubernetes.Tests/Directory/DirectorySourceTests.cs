using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;
using ExtAuthz.Kubernetes.Directory;
using ExtAuthz.Kubernetes.Tests.Fakes;
using ExtAuthz.Testing;

namespace ExtAuthz.Kubernetes.Tests.Directory;

public sealed class DirectorySourceTests : IAsyncLifetime
{
    private const string Profiles = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: kubeflow.org/v1
          kind: Profile
          metadata:
            name: alice
            resourceVersion: "48211"
            uid: 5b0e6f3c-1f2d-4a8e-9c41-2f7d8a6b3e01
          spec:
            owner:
              kind: User
              name: alice@example.com
        metadata:
          resourceVersion: ""
        """;

    private const string AliceNamespace = """
        apiVersion: v1
        kind: Namespace
        metadata:
          annotations:
            owner: OWNER
          labels:
            app.kubernetes.io/part-of: kubeflow-profile
            istio-injection: enabled
            kubernetes.io/metadata.name: alice
          name: alice
        spec:
          finalizers:
          - kubernetes
        status:
          phase: Active
        """;

    private const string BobEdits = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          annotations:
            role: edit
            user: bob@example.com
          name: user-bob-example-com-clusterrole-edit
          namespace: alice
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: kubeflow-edit
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: User
          name: bob@example.com
        """;

    private readonly DirectoryInfo _folder = System.IO.Directory.CreateTempSubdirectory("extauthz-cluster-");
    private readonly CancellationTokenSource _stop = new();
    private readonly AccessIndex _index = new(RoleMap.Default, TimeProvider.System);
    private readonly ListLogger _log = new();
    private DirectoryIndexSource? _source;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }

        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Start_SamplesCluster_LoadsEveryProfileAndBinding()
    {
        await StartAsync(RepoPaths.Samples);

        var snapshot = _index.Current!;
        Assert.Equal(3, snapshot.ProfileCount);
        Assert.Equal(13, snapshot.RoleBindingCount);
        Assert.Equal(AccessRole.Owner, Role("alice@example.com", "alice"));
        Assert.Equal(AccessRole.Edit, Role("bob@example.com", "alice"));
        Assert.Equal(AccessRole.View, Role("carol@example.com", "alice"));
        Assert.Equal(AccessRole.None, Role("dave@example.com", "alice"));
        Assert.Equal(AccessRole.Edit, Role("someone@example.com", "bob", "ml-team"));
        Assert.Equal(AccessRole.Owner, Role("user@example.com", "kubeflow-user-example-com"));
        Assert.Equal(AccessRole.Edit, Role("system:serviceaccount:bob:default-editor", "bob"));
    }

    [Fact]
    public async Task Start_SamplesCluster_EveryProfileIsAdopted()
    {
        await StartAsync(RepoPaths.Samples);

        Assert.Equal(0, _index.Current!.UnadoptedCount);
        Assert.Contains("\"Namespaces\":5", Describe(), StringComparison.Ordinal);
        Assert.False(_index.Current.IsProfileNamespace("kubeflow"));
    }

    [Theory]
    [InlineData("owner: alice@example.com", true, "owner of profile alice")]
    [InlineData("owner: mallory@example.com", false, "namespace alice has owner annotation 'mallory@example.com'")]
    [InlineData("owner: ALICE@example.com", false, "namespace alice has owner annotation 'ALICE@example.com'")]
    [InlineData("team: ml", false, "namespace alice has no owner annotation")]
    [InlineData(null, false, "the namespace alice does not exist")]
    public async Task NamespaceFile_DecidesWhetherTheProfileIsAdopted(string? annotation, bool adopted, string detail)
    {
        Write("profiles.yaml", Profiles);
        Write("alice.yaml", BobEdits);
        if (annotation is not null)
        {
            Write("namespaces.yaml", AliceNamespace.Replace("owner: OWNER", annotation, StringComparison.Ordinal));
        }

        await StartAsync();

        var owner = Decide("alice@example.com", "GET", "/notebook/alice/nb/");
        Assert.Equal(adopted, owner.Reason == ReasonCode.Granted);
        Assert.Equal(adopted, Decide("bob@example.com", "POST", "/notebook/alice/nb/").Reason == ReasonCode.Granted);
        Assert.Contains(detail, owner.Detail, StringComparison.Ordinal);
        Assert.Equal(adopted ? 0 : 1, _index.Current!.UnadoptedCount);
        Assert.Equal(!adopted, Describe().Contains("profile alice is not adopted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangedNamespaceFile_AdoptsAndUnadopts()
    {
        Write("profiles.yaml", Profiles);
        await StartAsync();
        Assert.Equal(ReasonCode.NoAccess, Decide("alice@example.com", "GET", "/notebook/alice/nb/").Reason);

        Write("namespaces.yaml", AliceNamespace.Replace("OWNER", "alice@example.com", StringComparison.Ordinal));
        await Eventually.True(() => Decide("alice@example.com", "GET", "/notebook/alice/nb/").Reason == ReasonCode.Granted, "adopted");

        File.Delete(Path.Combine(_folder.FullName, "namespaces.yaml"));
        await Eventually.True(() => Decide("alice@example.com", "GET", "/notebook/alice/nb/").Reason == ReasonCode.NoAccess, "unadopted");
        Assert.Contains("does not exist", Decide("alice@example.com", "GET", "/notebook/alice/nb/").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedFile_ChangesDecisions()
    {
        Write("profiles.yaml", Profiles);
        Write("namespaces.yaml", AliceNamespace.Replace("OWNER", "alice@example.com", StringComparison.Ordinal));
        await StartAsync();
        Assert.Equal(ReasonCode.NoAccess, Decide("bob@example.com", "POST", "/notebook/alice/nb/").Reason);

        Write("alice.yaml", BobEdits);
        await Eventually.True(() => Decide("bob@example.com", "POST", "/notebook/alice/nb/").Reason == ReasonCode.Granted, "bob granted");

        Write("alice.yaml", BobEdits.Replace("kubeflow-edit", "kubeflow-view", StringComparison.Ordinal));
        await Eventually.True(() => Decide("bob@example.com", "POST", "/notebook/alice/nb/").Reason == ReasonCode.ReadOnly, "bob read-only");

        File.Delete(Path.Combine(_folder.FullName, "alice.yaml"));
        await Eventually.True(() => Decide("bob@example.com", "GET", "/notebook/alice/nb/").Reason == ReasonCode.NoAccess, "bob gone");
    }

    [Theory]
    [InlineData("not: [valid")]
    [InlineData("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: x\n  namespace: alice\nroleRef:\n  kind: ClusterRole\n  name: kubeflow-edit\nsubjects: 7\n")]
    [InlineData("apiVersion: kubeflow.org/v1\nkind: Profile\nmetadata:\n  name: Not_A_Namespace\nspec:\n  owner:\n    kind: User\n    name: x@example.com\n")]
    [InlineData("- just\n- a list\n")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Not_A_Namespace\n")]
    [InlineData("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: alice\n  annotations: [owner]\n")]
    public async Task BrokenFile_KeepsTheLastGoodSnapshotAndReportsIt(string broken)
    {
        Write("profiles.yaml", Profiles);
        Write("namespaces.yaml", AliceNamespace.Replace("OWNER", "alice@example.com", StringComparison.Ordinal));
        Write("alice.yaml", BobEdits);
        await StartAsync();
        var good = _index.Current!.Version;

        Write("zz-broken.yaml", broken);
        await Eventually.True(() => Describe().Contains("\"Healthy\":false", StringComparison.Ordinal), "problem reported");

        Assert.Equal(good, _index.Current!.Version);
        Assert.Equal(ReasonCode.Granted, Decide("bob@example.com", "POST", "/notebook/alice/nb/").Reason);
        Assert.Contains("zz-broken.yaml", Describe(), StringComparison.Ordinal);
        Assert.True(_log.Has(3002, "zz-broken.yaml"));

        // Fixed: applied again, including a change made alongside.
        File.Delete(Path.Combine(_folder.FullName, "zz-broken.yaml"));
        Write("alice.yaml", BobEdits.Replace("bob@example.com", "carol@example.com", StringComparison.Ordinal));
        await Eventually.True(() => Decide("carol@example.com", "POST", "/notebook/alice/nb/").Reason == ReasonCode.Granted, "carol granted");
        Assert.Contains("\"Healthy\":true", Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenAtStart_NothingLoads()
    {
        Write("profiles.yaml", "kind: List\nitems: {");
        await StartAsync();

        Assert.False(_index.IsLoaded);
        Assert.Contains("profiles.yaml", Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFolder_IsReportedNotFatal()
    {
        await StartAsync(Path.Combine(_folder.FullName, "nope"));

        Assert.False(_index.IsLoaded);
        Assert.Contains("folder not found", Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyFolder_LoadsAnEmptyIndex()
    {
        await StartAsync();

        Assert.True(_index.IsLoaded);
        Assert.Equal(ReasonCode.NoAccess, Decide("alice@example.com", "GET", "/notebook/alice/nb/").Reason);
        Assert.Equal(ReasonCode.Authenticated, Decide("alice@example.com", "GET", "/").Reason);
    }

    private async Task StartAsync(string? folder = null)
    {
        _source = new DirectoryIndexSource(_index, folder ?? _folder.FullName, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), TimeProvider.System, _log);
        await _source.StartAsync(_stop.Token);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder.FullName, name), text);

    private string Describe() => System.Text.Json.JsonSerializer.Serialize(_source!.Describe());

    private AccessRole Role(string user, string ns, params string[] groups) =>
        _index.Current!.Find(ns)?.Find(new Principal("i", user, user, groups, DateTimeOffset.MaxValue))?.Role ?? AccessRole.None;

    private Decision Decide(string user, string method, string target)
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        var policy = KubeflowAccessPolicy.Create(options.Policy, _index);
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = method, Path = target };
        return policy.Authorize(input, PathNormalizer.Normalize(target), new Principal("i", user, user, [], DateTimeOffset.MaxValue));
    }
}
