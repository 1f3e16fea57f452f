using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// What one decision log line needs, captured on the request thread by reference only (no formatting, no copies):
/// the decision value, the request's method and raw target (its query values are dropped when the line is written).
/// </summary>
internal readonly record struct AuditRecord(DateTimeOffset At, Decision Decision, string Method, string Target, TimeSpan Latency);
