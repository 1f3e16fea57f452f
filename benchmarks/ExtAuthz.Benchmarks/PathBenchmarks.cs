using BenchmarkDotNet.Attributes;
using ExtAuthz.Benchmarks.Fixtures;
using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Benchmarks;

/// <summary>Path normalisation and namespace resolution through the route catalogue across Kubeflow's URL shapes (DESIGN §2 steps 2 and 6).</summary>
[MemoryDiagnoser]
public class PathBenchmarks
{
    [Params(
        "/notebook/ns-00001/nb-1/api/kernels",
        "/api/namespaces/ns-00001/notebooks",
        "/pipeline/apis/v2beta1/runs?namespace=ns-00001&page_size=10",
        "/apis/v1beta1/runs?resourceReferenceKey.type=5&resourceReferenceKey.id=ns-00001",
        "/pipeline/k8s/pod/logs?podname=p&podnamespace[]=ns-00001",
        "/jupyter/api/namespaces/ns-00001/notebooks/nb-1/events",
        "/_/jupyter/?ns=ns-00001",
        "/kfam/v1/bindings?namespace=ns-00001",
        "/notebook/ns-00001/nb-1/lab/tree/a%2Fb",
        "/notebook/ns-00001/../ns-00002/nb/api/kernels")]
    public string Target { get; set; } = "/";

    private NamespaceResolver _resolver = null!;
    private AccessSnapshot _snapshot = null!;
    private CheckInput _input = null!;
    private NormalizedPath _normalized;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        _resolver = NamespaceResolver.Create(options.Policy.NamespaceRules, options.Policy.KServeDomains);
        var index = new AccessIndex(new RoleMap(), TimeProvider.System);
        index.ReplaceAll(SyntheticCluster.Profiles(10_000), [], SyntheticCluster.Namespaces(10_000));
        _snapshot = index.Current!;
        _input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = Target, Host = "kubeflow.example.com" };
        _normalized = PathNormalizer.Normalize(Target);
    }

    [Benchmark(Baseline = true)]
    public NormalizedPath Normalize() => PathNormalizer.Normalize(Target);

    [Benchmark]
    public NamespaceCandidate ResolveNamespace() => _resolver.Resolve(_input, _normalized, _snapshot);
}
