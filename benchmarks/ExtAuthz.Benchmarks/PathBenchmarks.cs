using BenchmarkDotNet.Attributes;
using ExtAuthz.Core.Paths;

namespace ExtAuthz.Benchmarks;

/// <summary>Path normalisation across the Kubeflow URL shapes (DESIGN §2 step 2).</summary>
[MemoryDiagnoser]
public class PathBenchmarks
{
    [Params(
        "/notebook/alice/nb-1/api/kernels",
        "/api/namespaces/alice/notebooks",
        "/pipeline/apis/v2beta1/runs?namespace=alice&page_size=10",
        "/_/jupyter/?ns=alice",
        "/kfam/v1/bindings?namespace=alice",
        "/notebook/alice/nb-1/lab/tree/a%2Fb",
        "/notebook/alice/../bob/nb/api/kernels")]
    public string Target { get; set; } = "/";

    [Benchmark]
    public NormalizedPath Normalize() => PathNormalizer.Normalize(Target);
}
