using Envoy.Service.Auth.V3;
using Grpc.Core;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// Check on the generated classes (<c>Server:CheckReader=Generated</c>), v3 and the frozen v2 path for Envoy before
/// 1.18 (v3 messages are a wire superset of v2's). A deny is a CheckResponse; only a real fault is an RPC error.
/// </summary>
internal sealed class GeneratedCheckService
{
    private readonly CheckHandler _handler;

    public GeneratedCheckService(CheckHandler handler) => _handler = handler;

    public Task<CheckResponse> Check(CheckRequest request, ServerCallContext context) =>
        Task.FromResult(_handler.Handle(request, DecisionTiming.IsRequested(context)));
}
