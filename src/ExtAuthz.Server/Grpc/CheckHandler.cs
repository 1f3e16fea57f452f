using System.Diagnostics;
using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Grpc;

/// <summary>The Check hot path as a thin adapter: read the request, decide in Core, write the response.</summary>
internal sealed class CheckHandler
{
    private readonly Authorizer _authorizer;
    private readonly CheckResponseWriter _writer;
    private readonly HeaderSlots _slots;
    private readonly DecisionRecorder _recorder;

    public CheckHandler(Authorizer authorizer, CheckResponseWriter writer, HeaderSlots slots, DecisionRecorder recorder)
    {
        _authorizer = authorizer;
        _writer = writer;
        _slots = slots;
        _recorder = recorder;
    }

    public CheckResponse Handle(CheckRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var input = new CheckInput(_slots);
        CheckRequestReader.Read(request, input);
        var decision = _authorizer.Decide(input);
        var response = _writer.Write(decision);
        _recorder.Record(decision, input, started);
        return response;
    }
}
