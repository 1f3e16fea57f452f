using System.Diagnostics;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// DESIGN §2 step 9, the one call the Check handler makes after answering: count the decision, observe its
/// latency, trace it, and hand a record to the audit writer when it is logged. Cheap by construction:
/// pre-created metric children, no string formatting, and the log line is built on another thread.
/// </summary>
internal sealed class DecisionRecorder
{
    private readonly OperationsMetrics _metrics;
    private readonly AuditQueue _audit;
    private readonly AuditSampler _sampler;
    private readonly TimeProvider _time;

    public DecisionRecorder(OperationsMetrics metrics, AuditQueue audit, AuditSampler sampler, TimeProvider time)
    {
        _metrics = metrics;
        _audit = audit;
        _sampler = sampler;
        _time = time;
    }

    /// <param name="decision">The decision as answered (a dry-run allow keeps the deny's reason).</param>
    /// <param name="input">The request it answered; only method and target are kept, by reference.</param>
    /// <param name="startedTimestamp"><see cref="Stopwatch.GetTimestamp"/> when the Check began.</param>
    public void Record(in Decision decision, CheckInput input, long startedTimestamp)
    {
        var latency = Stopwatch.GetElapsedTime(startedTimestamp);
        var outcome = DecisionOutcome.Of(decision);
        _metrics.Decided(outcome, decision.Reason, latency.TotalSeconds);

        var logged = _sampler.Logs(outcome == DecisionOutcome.Allow);
        if (!logged && !CheckTracing.Source.HasListeners())
        {
            return;
        }

        var now = _time.GetUtcNow();
        CheckTracing.Trace(decision, input, now - latency, now);
        if (logged)
        {
            _audit.Enqueue(new AuditRecord(now, decision, input.Method, input.Path, latency));
        }
    }
}
