using BenchmarkDotNet.Attributes;
using Envoy.Service.Auth.V3;
using ExtAuthz.Benchmarks.Fixtures;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using Google.Protobuf;

namespace ExtAuthz.Benchmarks;

/// <summary>
/// A warm Check in process (token cached, index hit), from the Core decision alone up to request bytes to
/// response bytes, next to what an empty handler does per Check in process (parse with the generated classes,
/// answer a fixed response) — the baseline of the ratios.
/// </summary>
[MemoryDiagnoser]
public class WarmCheckBenchmarks
{
    private static readonly byte[] s_emptyAnswer = new CheckResponse { Status = new Google.Rpc.Status(), OkResponse = new OkHttpResponse() }.ToByteArray();

    private WarmCheck _warm = null!;

    /// <summary>
    /// owner: allow as the namespace owner; contributor: allow with edit; deny: 403 no_access; anonymous: 401;
    /// query-owner / query-deny: a catalogue route whose namespace is a query parameter (Pipelines v2beta1 runs).
    /// </summary>
    [Params("owner", "contributor", "deny", "anonymous", "query-owner", "query-deny")]
    public string Case { get; set; } = "owner";

    [GlobalSetup]
    public void Setup()
    {
        var ns = SyntheticCluster.Namespace(1);
        _warm = Case switch
        {
            "owner" => WarmCheckFactory.Create("GET", $"/notebook/{ns}/nb-1/api/kernels", SyntheticCluster.User(1)),
            "contributor" => WarmCheckFactory.Create("POST", $"/notebook/{ns}/nb-1/api/sessions", SyntheticCluster.User(2)),
            "deny" => WarmCheckFactory.Create("GET", $"/notebook/{ns}/nb-1/api/kernels", SyntheticCluster.User(5000)),
            "query-owner" => WarmCheckFactory.Create("GET", $"/pipeline/apis/v2beta1/runs?namespace={ns}&page_size=10&sort_by=created_at%20desc", SyntheticCluster.User(1)),
            "query-deny" => WarmCheckFactory.Create("GET", $"/pipeline/apis/v2beta1/runs?namespace={ns}&page_size=10&sort_by=created_at%20desc", SyntheticCluster.User(5000)),
            _ => WarmCheckFactory.Create("GET", $"/notebook/{ns}/nb-1/api/kernels", null),
        };
    }

    [Benchmark(Baseline = true, Description = "empty handler: generated parse, fixed answer")]
    public byte[] EmptyHandler()
    {
        CheckRequest.Parser.ParseFrom(_warm.RequestBytes);
        return s_emptyAnswer;
    }

    [Benchmark(Description = "Core decision (read input)")]
    public Decision CoreDecision() => _warm.Authorizer.Decide(_warm.Input);

    [Benchmark(Description = "handler: parsed CheckRequest -> CheckResponse")]
    public CheckResponse HandlerParsed() => _warm.Handler.Handle(_warm.Request);

    [Benchmark(Description = "generated parse only")]
    public CheckRequest ParseGenerated() => CheckRequest.Parser.ParseFrom(_warm.RequestBytes);

    [Benchmark(Description = "lean read only")]
    public object ReadLean() => CheckMarshallers.Read(_warm.RequestBytes, _warm.Names);

    [Benchmark(Description = "bytes -> bytes, generated")]
    public byte[] BytesGenerated() => _warm.Handler.Handle(CheckRequest.Parser.ParseFrom(_warm.RequestBytes)).ToByteArray();

    [Benchmark(Description = "bytes -> bytes, lean + reused answer")]
    public byte[] BytesLean() => _warm.Handler.HandleSerialized(CheckMarshallers.Read(_warm.RequestBytes, _warm.Names)).Frame;
}
