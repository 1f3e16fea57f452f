using System.Diagnostics;
using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Login;
using ExtAuthz.Server.Operations;
using Google.Protobuf.WellKnownTypes;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// The Check hot path as a thin adapter: read the request, decide in Core, answer. Answers come from
/// <see cref="ResponseCache"/>: built and serialized once per distinct decision, then reused. With our own login, a
/// warm session is resolved in memory before the decision; a session this replica has not seen and the login paths
/// take the asynchronous path, which waits only for its own store or provider call.
/// </summary>
internal sealed class CheckHandler
{
    private readonly Authorizer _authorizer;
    private readonly ResponseCache _responses;
    private readonly HeaderSlots _slots;
    private readonly DecisionRecorder _recorder;
    private readonly LoginRuntime? _login;

    public CheckHandler(Authorizer authorizer, ResponseCache responses, HeaderSlots slots, DecisionRecorder recorder, LoginRuntime? login = null)
    {
        _authorizer = authorizer;
        _responses = responses;
        _slots = slots;
        _recorder = recorder;
        _login = login;
    }

    /// <summary>The generated-classes path (<c>Server:CheckReader=Generated</c>): read, then the same decision and answer.</summary>
    public CheckResponse Handle(CheckRequest request, TimingAsk asked = TimingAsk.None) => HandleAsync(request, asked, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The generated-classes path; completes synchronously with a cached task unless a login path or a cold session waits.</summary>
    public Task<CheckResponse> HandleAsync(CheckRequest request, TimingAsk asked, CancellationToken cancellationToken)
    {
        var input = new CheckInput(_slots);
        CheckRequestReader.Read(request, input);
        var answer = HandleInputAsync(input, asked, cancellationToken);
        return answer.IsCompletedSuccessfully ? answer.Result.CompletedMessage : MessageAsync(answer);
    }

    /// <summary>
    /// A synthetic Check at start (<see cref="CheckWarmUp"/>): the same decision and answer, neither counted nor logged.
    /// </summary>
    public SerializedResponse HandleUnrecorded(CheckInput input) => _responses.Get(_authorizer.Decide(input));

    /// <summary>The lean path, for callers that wait (benchmarks, tests): the answer is reused when it can be.</summary>
    public SerializedResponse HandleSerialized(CheckInput input) => HandleInputAsync(input, TimingAsk.None, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The lean path: the input was read from the request bytes. Completes synchronously, with a task cached in the
    /// answer, unless a session must be loaded or a login path answered. A caller that asked for the decision time
    /// (<see cref="DecisionTiming"/>) gets it in a copy of the answer (the reused answer is never changed); the
    /// warm-up's own Checks are neither counted nor logged.
    /// </summary>
    public Task<SerializedResponse> HandleInputAsync(CheckInput input, TimingAsk asked, CallAbort aborted)
    {
        var started = Stopwatch.GetTimestamp();
        if (_login is not null && _login.Probe(input) is { } cold)
        {
            return LoadThenDecideAsync(input, cold, started, asked, aborted.Token);
        }

        var decision = _authorizer.Decide(input);
        if (decision.Reason == ReasonCode.LoginFlow && _login is not null)
        {
            return LoginAsync(input, started, asked, aborted.Token);
        }

        return Answer(decision, input, started, asked).Completed;
    }

    private static async Task<CheckResponse> MessageAsync(Task<SerializedResponse> answer) => (await answer).Message;

    private SerializedResponse Answer(Decision decision, CheckInput input, long started, TimingAsk asked)
    {
        if (_login is not null)
        {
            decision = _login.Upstream(decision, input);
        }

        var response = _responses.Get(decision);
        if (asked == TimingAsk.None)
        {
            _recorder.Record(decision, input, started);
            return response;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (asked != TimingAsk.WarmUp)
        {
            _recorder.Record(decision, input, started);
        }

        return Timed(response, elapsed);
    }

    private async Task<SerializedResponse> LoadThenDecideAsync(CheckInput input, string cookie, long started, TimingAsk asked, CancellationToken cancellationToken)
    {
        try
        {
            await _login!.LoadAsync(input, cookie, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A store failing outside its contract is still an answer, never an RPC error (Envoy would apply its
            // status_on_error to every request of this browser): the failure's type only, never its message.
            return Answer(Decision.Deny(ReasonCode.LoginUnavailable, "session lookup failed: " + ex.GetType().Name), input, started, asked);
        }

        var decision = _authorizer.Decide(input);
        if (decision.Reason == ReasonCode.LoginFlow)
        {
            return await LoginAsync(input, started, asked, cancellationToken);
        }

        return Answer(decision, input, started, asked);
    }

    private async Task<SerializedResponse> LoginAsync(CheckInput input, long started, TimingAsk asked, CancellationToken cancellationToken)
    {
        var answer = await _login!.HandleAsync(input, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (asked != TimingAsk.WarmUp)
        {
            _recorder.Record(LoginResponseWriter.ToDecision(answer), input, started);
        }

        var response = new SerializedResponse(LoginResponseWriter.Write(answer));
        return asked == TimingAsk.None ? response : Timed(response, elapsed);
    }

    private static SerializedResponse Timed(SerializedResponse response, TimeSpan elapsed)
    {
        var timed = response.Message.Clone();
        timed.DynamicMetadata ??= new Struct();
        timed.DynamicMetadata.Fields[DecisionTiming.MetadataField] = Value.ForNumber(Math.Round(elapsed.TotalMicroseconds, 1));
        return new SerializedResponse(timed);
    }
}
