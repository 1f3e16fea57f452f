using BenchmarkDotNet.Attributes;
using ExtAuthz.Benchmarks.Fixtures;

namespace ExtAuthz.Benchmarks;

/// <summary>
/// Our own login's warm path: a Check carrying a warm session cookie against the same Check carrying a cached bearer
/// token (the baseline), same user, page and handler, request bytes to response bytes. The target is a ratio of at
/// most 1.05 and no allocation beyond the baseline's.
/// </summary>
[MemoryDiagnoser]
public class SessionCheckBenchmarks
{
    private SessionCheck _check = null!;

    [GlobalSetup]
    public void Setup() => _check = SessionCheck.Create();

    [Benchmark(Baseline = true, Description = "bytes -> bytes, cached bearer token")]
    public byte[] Bearer() => _check.Check(_check.BearerBytes);

    [Benchmark(Description = "bytes -> bytes, warm session cookie")]
    public byte[] Session() => _check.Check(_check.SessionBytes);
}
