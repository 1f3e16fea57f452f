using ExtAuthz.Testing;
using Grpc.Core;
using Grpc.Health.V1;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// The Watch flood of the attack, against the server as a process of its own so that its memory is its own:
/// 10 connections asking for 1,000 Watch streams each, under a 192 MB managed heap limit. At most
/// <c>Server:HealthMaxWatches</c> are held and the rest refused at once, so the process lives through it, still
/// answers, and its peak resident memory stays bounded. (Under a 96 MB limit the process was seen to die now and then:
/// HTTP/2's own state for 10,000 streams in flight needs that much before any is refused; docs/security.md.)
/// </summary>
public sealed class HealthWatchFloodTests
{
    private const int Connections = 10;
    private const int StreamsEach = 1000;
    private const long PeakLimit = 300L * 1024 * 1024;

    [Fact]
    public async Task Watch_TenThousandStreams_AtMostTheCapHeldAndMemoryBounded()
    {
        await using var server = await ChildServer.StartAsync(
            ["--Server:HealthMaxWatches=64", "--Server:HealthMaxWatchesPerConnection=8"], readStdout: true,
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0xC000000" });
        var channels = Enumerable.Range(0, Connections).Select(_ => IstioAuthority.Channel($"http://127.0.0.1:{server.GrpcPort}")).ToList();

        var calls = channels.SelectMany(channel => Enumerable.Range(0, StreamsEach).Select(_ => new Health.HealthClient(channel).Watch(new HealthCheckRequest()))).ToList();
        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                await FirstAsync(call);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }));
        var (_, peak) = server.Memory();
        var check = await new Envoy.Service.Auth.V3.Authorization.AuthorizationClient(server.Channel).CheckAsync(Requests.Istio("GET", "/dex/auth"));
        calls.ForEach(call => call.Dispose());
        channels.ForEach(channel => channel.Dispose());

        var held = outcomes.Count(s => s == StatusCode.OK);
        var refused = Connections * StreamsEach - held;
        var distribution = string.Join(", ", outcomes.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.InRange(held, 1, 64);
        // The cap answers RESOURCE_EXHAUSTED; under this flood a rare stream is lost to the transport instead (seen: 1 in
        // 10,000 on a loaded machine), which holds nothing either. What must never happen is a hold past the cap.
        Assert.True(outcomes.Count(s => s == StatusCode.ResourceExhausted) >= refused * 99 / 100, distribution);
        Assert.Equal(0, check.Status.Code);
        Assert.False(server.HasExited);
        Assert.True(peak < PeakLimit, $"peak resident memory {peak >> 20} MB");
    }

    private static async Task FirstAsync(AsyncServerStreamingCall<HealthCheckResponse> call)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        if (!await call.ResponseStream.MoveNext(guard.Token))
        {
            throw new RpcException(call.GetStatus());
        }
    }
}
