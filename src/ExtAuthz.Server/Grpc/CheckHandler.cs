using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc.Wire;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// The Check hot path as a thin adapter: read the request, decide in Core, answer. Answers come from
/// <see cref="ResponseCache"/>: built and serialized once per distinct decision, then reused.
/// </summary>
internal sealed class CheckHandler
{
    private readonly Authorizer _authorizer;
    private readonly ResponseCache _responses;
    private readonly HeaderSlots _slots;

    public CheckHandler(Authorizer authorizer, ResponseCache responses, HeaderSlots slots)
    {
        _authorizer = authorizer;
        _responses = responses;
        _slots = slots;
    }

    public CheckResponse Handle(CheckRequest request)
    {
        var input = new CheckInput(_slots);
        CheckRequestReader.Read(request, input);
        var decision = _authorizer.Decide(input);
        return _responses.Get(decision).Message;
    }

    /// <summary>The lean path: the input was read from the request bytes; the answer is reused when it can be.</summary>
    public SerializedResponse HandleSerialized(CheckInput input)
    {
        var decision = _authorizer.Decide(input);
        return _responses.Get(decision);
    }
}
