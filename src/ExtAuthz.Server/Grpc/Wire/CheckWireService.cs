using ExtAuthz.Core.Requests;
using Grpc.Core;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// The Check service bound with the lean marshallers (v3, and v2 whose messages v3's are a wire superset of).
/// A deny is a response value; only a real fault becomes an RPC error.
/// </summary>
internal sealed class CheckWireService
{
    private readonly CheckHandler _handler;

    public CheckWireService(CheckHandler handler) => _handler = handler;

    public Task<SerializedResponse> Check(CheckInput input, ServerCallContext context) =>
        _handler.HandleInputAsync(input, DecisionTiming.Asked(context), context.CancellationToken);
}
