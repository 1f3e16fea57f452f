using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Grpc;

/// <summary>The Check hot path as a thin adapter: read the request, decide in Core, write the response.</summary>
internal sealed class CheckHandler
{
    private readonly Authorizer _authorizer;
    private readonly CheckResponseWriter _writer;
    private readonly HeaderSlots _slots;

    public CheckHandler(Authorizer authorizer, CheckResponseWriter writer, HeaderSlots slots)
    {
        _authorizer = authorizer;
        _writer = writer;
        _slots = slots;
    }

    public CheckResponse Handle(CheckRequest request)
    {
        var input = new CheckInput(_slots);
        CheckRequestReader.Read(request, input);
        var decision = _authorizer.Decide(input);
        return _writer.Write(decision);
    }
}
