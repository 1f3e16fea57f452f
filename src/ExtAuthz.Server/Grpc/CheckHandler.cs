using System.Diagnostics;
using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Operations;
using Google.Protobuf.WellKnownTypes;

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
    public CheckResponse Handle(CheckRequest request, TimingAsk asked = TimingAsk.None)
    {
        var input = new CheckInput(_slots);
        CheckRequestReader.Read(request, input);
        return (asked == TimingAsk.None ? HandleSerialized(input) : HandleAsked(input, asked)).Message;
    }

    /// <summary>
    /// A synthetic Check at start (<see cref="CheckWarmUp"/>): the same decision and answer, neither counted nor logged.
    /// </summary>
    public SerializedResponse HandleUnrecorded(CheckInput input) => _responses.Get(_authorizer.Decide(input));

    /// <summary>The lean path: the input was read from the request bytes; the answer is reused when it can be.</summary>
    public SerializedResponse HandleSerialized(CheckInput input)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = _authorizer.Decide(input);
        var response = _responses.Get(decision);
        _recorder.Record(decision, input, started);
        return response;
    }

    /// <summary>
    /// The same Check, answered with the server's decision time (<see cref="DecisionTiming"/>) in a copy of the answer:
    /// the reused answer is never changed. The warm-up's own Checks are not recorded.
    /// </summary>
    public SerializedResponse HandleAsked(CheckInput input, TimingAsk asked)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = _authorizer.Decide(input);
        var response = _responses.Get(decision);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (asked != TimingAsk.WarmUp)
        {
            _recorder.Record(decision, input, started);
        }

        var timed = response.Message.Clone();
        timed.DynamicMetadata ??= new Struct();
        timed.DynamicMetadata.Fields[DecisionTiming.MetadataField] = Value.ForNumber(Math.Round(elapsed.TotalMicroseconds, 1));
        return new SerializedResponse(timed);
    }
}
