using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Operations;
using ExtAuthz.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// grpc.health.v1 Watch: bounded per connection and for the whole server, told of readiness changes rather than
/// polling for them, and every stream given back when it closes.
/// </summary>
public sealed class HealthWatchTests
{
    // A guard against a hung test, never a measure of speed.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watch_ReadinessDrops_IsPushedWithoutAnyClockTick()
    {
        // On a clock that never moves, a stream that polled would never see the change.
        await using var server = await ServerInstance.StartAsync([], builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider()));
        using var call = new Health.HealthClient(server.Channel).Watch(new HealthCheckRequest());
        using var guard = new CancellationTokenSource(Guard);

        Assert.True(await call.ResponseStream.MoveNext(guard.Token));
        var first = call.ResponseStream.Current.Status;
        server.Services.GetRequiredService<ReadinessState>().BeginDrain();
        Assert.True(await call.ResponseStream.MoveNext(guard.Token));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, first);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Watch_OneConnectionPastItsCap_IsResourceExhausted()
    {
        await using var server = await ServerInstance.StartAsync(["--Server:HealthMaxWatchesPerConnection=3"]);
        using var channel = IstioAuthority.Channel($"http://127.0.0.1:{server.GrpcPort}");
        var client = new Health.HealthClient(channel);

        var open = await OpenAsync(client, 3);
        var refused = await Assert.ThrowsAsync<RpcException>(() => FirstAsync(client.Watch(new HealthCheckRequest())));
        using var other = IstioAuthority.Channel($"http://127.0.0.1:{server.GrpcPort}");
        using var onAnother = new Health.HealthClient(other).Watch(new HealthCheckRequest());
        var fromAnother = await FirstAsync(onAnother);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, fromAnother);
        Dispose(open);
    }

    [Fact]
    public async Task Watch_FloodOverManyConnections_HoldsTheGlobalCapAndFreesEveryStreamOnClose()
    {
        await using var server = await ServerInstance.StartAsync(["--Server:HealthMaxWatches=20", "--Server:HealthMaxWatchesPerConnection=5"]);
        var watchers = server.Services.GetRequiredService<HealthWatchers>();
        var channels = Enumerable.Range(0, 10).Select(_ => IstioAuthority.Channel($"http://127.0.0.1:{server.GrpcPort}")).ToList();

        // 10 connections x 8 streams: 80 asked for, at most 5 a connection and 20 in all may stay.
        var attempts = channels.SelectMany(channel => Enumerable.Range(0, 8).Select(_ => new Health.HealthClient(channel).Watch(new HealthCheckRequest()))).ToList();
        var outcomes = await Task.WhenAll(attempts.Select(async call =>
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
        var during = watchers.Open;
        Dispose(attempts);
        await WaitUntilAsync(() => watchers.Open == 0);
        using var after = new Health.HealthClient(channels[0]).Watch(new HealthCheckRequest());
        var afterStatus = await FirstAsync(after);

        Assert.Equal(20, outcomes.Count(s => s == StatusCode.OK));
        Assert.Equal(60, outcomes.Count(s => s == StatusCode.ResourceExhausted));
        Assert.Equal(20, during);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, afterStatus);
        channels.ForEach(c => c.Dispose());
    }

    [Fact]
    public void NextChange_ContributorSignalsAFlip_CompletesOnceAndOnlyThen()
    {
        var gate = new SwitchContributor();
        var state = new ReadinessState([gate]);
        var first = state.NextChange;

        gate.Signal();
        var afterNoFlip = first.IsCompleted;
        gate.IsReady = true;
        gate.Signal();

        Assert.False(afterNoFlip);
        Assert.True(first.IsCompleted);
        Assert.False(state.NextChange.IsCompleted);
        Assert.True(state.IsReady);
    }

    private static async Task<List<AsyncServerStreamingCall<HealthCheckResponse>>> OpenAsync(Health.HealthClient client, int count)
    {
        var calls = new List<AsyncServerStreamingCall<HealthCheckResponse>>();
        for (var i = 0; i < count; i++)
        {
            var call = client.Watch(new HealthCheckRequest());
            await FirstAsync(call);
            calls.Add(call);
        }

        return calls;
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> FirstAsync(AsyncServerStreamingCall<HealthCheckResponse> call)
    {
        using var guard = new CancellationTokenSource(Guard);
        if (!await call.ResponseStream.MoveNext(guard.Token))
        {
            // The server ended the stream: its status says why.
            throw new RpcException(call.GetStatus());
        }

        return call.ResponseStream.Current.Status;
    }

    private static void Dispose(IEnumerable<IDisposable> calls)
    {
        foreach (var call in calls)
        {
            call.Dispose();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!condition())
        {
            await Task.Delay(20, guard.Token);
        }
    }

    private sealed class SwitchContributor : IReadinessContributor, IReadinessSignal
    {
        public event Action? Changed;

        public string Name => "switch";

        public bool Gates => true;

        public bool IsReady { get; set; }

        public object Describe() => new { };

        public void Signal() => Changed?.Invoke();
    }
}
