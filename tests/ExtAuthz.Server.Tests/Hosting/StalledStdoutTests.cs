using ExtAuthz.Testing;
using Grpc.Core;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// The server as its own process with a standard output nobody reads (the pipe fills and every write to it would
/// block), flooded with denies of 100,000-character paths and with malformed frames: every Check is still answered,
/// lines are dropped and counted instead of held, and the process's memory stays bounded, under a managed heap
/// limit that the unbounded queue of old (8,192 records holding such paths) would have broken.
/// </summary>
public sealed class StalledStdoutTests
{
    private const int HugeChecks = 1500;
    private const int MalformedChecks = 300;
    private const long PeakLimit = 250L * 1024 * 1024;

    [Fact]
    public async Task Checks_StdoutStalledWithHugePaths_AllAnsweredAndMemoryBounded()
    {
        await using var server = await ChildServer.StartAsync(
            ["--Audit:QueueCapacity=8192", "--Audit:RepeatWindow=00:00:00", "--Logging:QueueBytes=262144"],
            readStdout: false,
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" });
        var invoker = server.Channel.CreateCallInvoker();
        var check = new Envoy.Service.Auth.V3.Authorization.AuthorizationClient(server.Channel);
        var padding = new string('a', 100_000);
        var malformed = new Method<byte[], byte[]>(MethodType.Unary, "envoy.service.auth.v3.Authorization", "Check",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        var denied = 0;
        var refused = 0;
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, HugeChecks + MalformedChecks).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if (i % 6 == 5 && i / 6 < MalformedChecks)
                {
                    var error = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(malformed, null, default, [0x0A, 0xFF, 0x01]));
                    Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
                    Interlocked.Increment(ref refused);
                }
                else
                {
                    var response = await check.CheckAsync(Requests.Istio("GET", $"/notebook/alice/{i}/{padding}"));
                    Assert.Equal(Envoy.Type.V3.StatusCode.Unauthorized, response.DeniedResponse.Status.Code);
                    Interlocked.Increment(ref denied);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        var (_, peak) = server.Memory();
        var metrics = await server.Http.GetStringAsync("/metrics");

        Assert.Equal(HugeChecks + MalformedChecks, denied + refused);
        Assert.Equal(MalformedChecks, refused);
        Assert.False(server.HasExited);
        Assert.True(peak < PeakLimit, $"peak RSS {peak / (1024 * 1024)} MB");
        Assert.Matches("extauthz_log_dropped_lines_total\\{log=\"decision\"\\} [1-9]", metrics);
    }
}
