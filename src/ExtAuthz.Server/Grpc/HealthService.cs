using ExtAuthz.Server.Operations;
using Grpc.Core;
using Grpc.Health.V1;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// grpc.health.v1 for "" and the Check service: SERVING once the index has loaded, until shutdown. A Watch stream
/// waits for readiness to change (<see cref="ReadinessState.NextChange"/>) and is never woken otherwise; how many may
/// be open is bounded (<see cref="HealthWatchers"/>), and closing one frees it at once.
/// </summary>
internal sealed class HealthService : Health.HealthBase
{
    private static readonly HashSet<string> s_known = ["", "envoy.service.auth.v3.Authorization", "envoy.service.auth.v2.Authorization"];
    private readonly ReadinessState _readiness;
    private readonly HealthWatchers _watchers;

    public HealthService(ReadinessState readiness, HealthWatchers watchers)
    {
        _readiness = readiness;
        _watchers = watchers;
    }

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        if (!s_known.Contains(request.Service))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "unknown service"));
        }

        return Task.FromResult(new HealthCheckResponse { Status = Current() });
    }

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        if (!s_known.Contains(request.Service))
        {
            await responseStream.WriteAsync(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.ServiceUnknown });
            return;
        }

        var connection = context.GetHttpContext().Connection.Id;
        if (!_watchers.TryOpen(connection))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "too many health watches open"));
        }

        try
        {
            var last = (HealthCheckResponse.Types.ServingStatus)(-1);
            var token = context.CancellationToken;
            while (true)
            {
                // Taken before reading the state, so a change between the two is never missed.
                var change = _readiness.NextChange;
                var now = Current();
                if (now != last)
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = now }, token);
                    last = now;
                }

                await change.WaitAsync(token);
            }
        }
        catch (OperationCanceledException)
        {
            // The caller went away.
        }
        finally
        {
            _watchers.Close(connection);
        }
    }

    private HealthCheckResponse.Types.ServingStatus Current() => _readiness.IsReady
        ? HealthCheckResponse.Types.ServingStatus.Serving
        : HealthCheckResponse.Types.ServingStatus.NotServing;
}
