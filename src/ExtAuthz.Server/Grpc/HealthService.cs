using ExtAuthz.Server.Ops;
using Grpc.Core;
using Grpc.Health.V1;

namespace ExtAuthz.Server.Grpc;

/// <summary>grpc.health.v1 for "" and the Check service: SERVING once the index has loaded, until shutdown.</summary>
internal sealed class HealthService : Health.HealthBase
{
    private static readonly HashSet<string> s_known = ["", "envoy.service.auth.v3.Authorization", "envoy.service.auth.v2.Authorization"];
    private readonly ReadinessState _readiness;
    private readonly TimeProvider _time;

    public HealthService(ReadinessState readiness, TimeProvider time)
    {
        _readiness = readiness;
        _time = time;
    }

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        if (!s_known.Contains(request.Service))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"unknown service '{request.Service}'"));
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

        // Readiness changes rarely (first index load, shutdown); a short poll keeps this free of shared signalling.
        var last = (HealthCheckResponse.Types.ServingStatus)(-1);
        var token = context.CancellationToken;
        while (!token.IsCancellationRequested)
        {
            var now = Current();
            if (now != last)
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = now }, token);
                last = now;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private HealthCheckResponse.Types.ServingStatus Current() => _readiness.IsReady
        ? HealthCheckResponse.Types.ServingStatus.Serving
        : HealthCheckResponse.Types.ServingStatus.NotServing;
}
