using ExtAuthz.Server.Operations;
using Prometheus;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// One decision-log line per change request, allowed or refused (caller, action, namespace, member, role, outcome; no
/// token, no header), and the counter <c>extauthz_selfservice_changes_total{action,outcome}</c> on <c>/metrics</c>.
/// Values a caller sent are shown cut and with control characters replaced, so a line can never be forged.
/// </summary>
internal sealed class SelfServiceAudit
{
    private readonly ILogger _logger;
    private readonly Counter _changes;

    public SelfServiceAudit(ILogger<SelfServiceAudit> logger, OperationsMetrics metrics)
    {
        _logger = logger;
        _changes = Metrics.WithCustomRegistry(metrics.Registry).CreateCounter("extauthz_selfservice_changes_total",
            "Workspace API change requests (create, delete, share, unshare), by action and outcome (a reason code).",
            new CounterConfiguration { LabelNames = ["action", "outcome"] });
    }

    public void Record(Caller? caller, string action, string? ns, string? member, string? role, Outcome outcome)
    {
        _changes.WithLabels(action, outcome.Reason).Inc();
        SelfServiceLog.Change(_logger, Shown(caller?.UserId), caller?.Via ?? "none", action, Shown(ns), Shown(member), Shown(role),
            outcome.Status, outcome.Reason, Shown(outcome.Message, 300, spaces: true));
    }

    private static string Shown(string? value, int max = 254, bool spaces = false) =>
        string.IsNullOrEmpty(value) ? "-" : new string([.. value.Take(max).Select(c => char.IsControl(c) || (c == ' ' && !spaces) ? '_' : c)]);
}
