using Envoy.Service.Auth.V3;
using Grpc.Core;

namespace ExtAuthz.Server.Grpc;

/// <summary>envoy.service.auth.v3.Authorization/Check. A deny is a CheckResponse; only a real fault is an RPC error.</summary>
internal sealed class AuthorizationV3Service : Envoy.Service.Auth.V3.Authorization.AuthorizationBase
{
    private readonly CheckHandler _handler;

    public AuthorizationV3Service(CheckHandler handler) => _handler = handler;

    public override Task<CheckResponse> Check(CheckRequest request, ServerCallContext context) =>
        Task.FromResult(_handler.Handle(request, DecisionTiming.Asked(context)));
}

/// <summary>The frozen v2 path, for Envoy before 1.18; v3 messages are a wire superset of v2's.</summary>
internal sealed class AuthorizationV2Service : Envoy.Service.Auth.V2.Authorization.AuthorizationBase
{
    private readonly CheckHandler _handler;

    public AuthorizationV2Service(CheckHandler handler) => _handler = handler;

    public override Task<CheckResponse> Check(CheckRequest request, ServerCallContext context) =>
        Task.FromResult(_handler.Handle(request, DecisionTiming.Asked(context)));
}
