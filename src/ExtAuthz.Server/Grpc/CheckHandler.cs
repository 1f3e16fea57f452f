using System.Diagnostics;
using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Operations;

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
    private readonly DecisionRecorder _recorder;

    public CheckHandler(Authorizer authorizer, ResponseCache responses, HeaderSlots slots, DecisionRecorder recorder)
    {
        _authorizer = authorizer;
        _responses = responses;
        _slots = slots;
        _recorder = recorder;
    }

    /// <summary>The generated-classes path (<c>Server:CheckReader=Generated</c>): read, then the same decision and answer.</summary>
    public CheckResponse Handle(CheckRequest request)
    {
        var input = new CheckInput(_slots);
        CheckRequestReader.Read(request, input);
        return HandleSerialized(input).Message;
    }

    /// <summary>The lean path: the input was read from the request bytes; the answer is reused when it can be.</summary>
    public SerializedResponse HandleSerialized(CheckInput input)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = _authorizer.Decide(input);
        var response = _responses.Get(decision);
        _recorder.Record(decision, input, started);
        return response;
    }
}
