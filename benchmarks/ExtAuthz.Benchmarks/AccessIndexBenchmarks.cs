using BenchmarkDotNet.Attributes;
using ExtAuthz.Benchmarks.Fixtures;
using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Benchmarks;

/// <summary>
/// The access index at 10,000 profiles and 100,000 RoleBindings (deserialised records in memory): a full build,
/// one lookup (namespace resolution and grant for a contributor), and one watch event (a RoleBinding changed),
/// which is visible to decisions when the call returns: the writer publishes the new snapshot before it does.
/// The managed heap the built index keeps is printed by the setup ("retained managed heap").
/// </summary>
[MemoryDiagnoser]
public class AccessIndexBenchmarks
{
    private const int ProfileCount = 10_000;
    private const int BindingCount = 100_000;

    private ProfileRecord[] _profiles = [];
    private RoleBindingRecord[] _bindings = [];
    private NamespaceRecord[] _namespaces = [];
    private AccessIndex _index = null!;
    private KubeflowAccessPolicy _policy = null!;
    private CheckInput _input = null!;
    private NormalizedPath _path;
    private Principal _contributor = null!;
    private RoleBindingRecord[] _eventVersions = [];
    private int _event;

    [GlobalSetup]
    public void Setup()
    {
        _profiles = SyntheticCluster.Profiles(ProfileCount);
        _bindings = SyntheticCluster.Bindings(ProfileCount, BindingCount);
        _namespaces = SyntheticCluster.Namespaces(ProfileCount);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        _index = new AccessIndex(new RoleMap(), TimeProvider.System);
        _index.ReplaceAll(_profiles, _bindings, _namespaces);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// retained managed heap of the index ({ProfileCount} profiles, {BindingCount} bindings): {(after - before) / 1048576.0:F1} MiB");

        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        _policy = KubeflowAccessPolicy.Create(options.Policy, _index);
        _input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "POST", Path = "/notebook/ns-00042/nb-1/api/sessions", Host = "kubeflow.example.com" };
        _path = PathNormalizer.Normalize(_input.Path);
        _contributor = new Principal("urn:extauthz:dev", SyntheticCluster.User(43), SyntheticCluster.User(43), [], DateTimeOffset.MaxValue);
        if (!_policy.Authorize(_input, _path, _contributor).Allowed)
        {
            throw new InvalidOperationException("the contributor should be allowed");
        }

        // One binding of ns-00007 flipping between edit and view: each call is a real change to publish.
        _eventVersions = [SyntheticCluster.Binding(7, 8, "edit") with { RoleRefName = "kubeflow-view" }, SyntheticCluster.Binding(7, 8, "edit")];
    }

    [Benchmark(Description = "full build (ReplaceAll, 10k profiles + 100k bindings + 10k namespaces)")]
    public AccessSnapshot? FullBuild()
    {
        var index = new AccessIndex(new RoleMap(), TimeProvider.System);
        index.ReplaceAll(_profiles, _bindings, _namespaces);
        return index.Current;
    }

    [Benchmark(Description = "lookup: resolve namespace + grant (contributor)")]
    public Decision Lookup() => _policy.Authorize(_input, _path, _contributor);

    [Benchmark(Description = "one watch event (RoleBinding upsert) until published")]
    public long OneEvent()
    {
        _index.UpsertRoleBinding(_eventVersions[_event++ & 1]);
        return _index.Current!.Version;
    }
}
