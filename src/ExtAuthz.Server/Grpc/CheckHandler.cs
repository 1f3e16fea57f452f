using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc.Wire;

namespace ExtAuthz.Server.Grpc;

/// <summary>The Check hot path as a thin adapter: read the request, decide in Core, write the response.</summary>
internal sealed class CheckHandler
{
    private readonly Authorizer _authorizer;
    private readonly CheckResponseWriter _writer;
    private readonly ResponseCache _responses;
    private readonly HeaderSlots _slots;

    public CheckHandler(Authorizer authorizer, CheckResponseWriter writer, ResponseCache responses, HeaderSlots slots)
    {
        _authorizer = authorizer;
        _writer = writer;
        _responses = responses;
        _slots = slots;
    }

    public CheckResponse Handle(CheckRequest request)
    {
        var input = new CheckInput(_slots);
        CheckRequestReader.Read(request, input);
        var decision = _authorizer.Decide(input);
        return _writer.Write(decision);
    }

    /// <summary>The lean path: the input was read from the request bytes; the answer is reused when it can be.</summary>
    public SerializedResponse HandleSerialized(CheckInput input)
    {
        var decision = _authorizer.Decide(input);
        return _responses.Get(decision);
    }
}
