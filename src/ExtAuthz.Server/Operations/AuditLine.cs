using System.Text.Json;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// Formats one decision log line as JSON, on the writer thread. It names who, where, what and why — never a token,
/// a cookie or any request header: the record does not even hold them. Query values are dropped (a token in a
/// query string stays out), only their names are kept.
/// </summary>
internal static class AuditLine
{
    /// <param name="path">The record's target as <see cref="AuditTarget.Shown"/> gives it.</param>
    public static void Write(Utf8JsonWriter json, in AuditRecord record, string path)
    {
        json.WriteStartObject();
        json.WriteString("time", record.At.UtcDateTime);
        WriteDecision(json, record, path);
        json.WriteNumber("latency_ms", Math.Round(record.Latency.TotalMilliseconds, 3));
        json.WriteEndObject();
    }

    /// <summary>
    /// The line that closes a folded window: the same fields as the line that opened it, the time of the last repeat,
    /// how many identical decisions followed that line (<c>repeated</c>), since when, and the slowest of them.
    /// </summary>
    public static void WriteRepeats(Utf8JsonWriter json, AuditFolder.Repeats repeats)
    {
        json.WriteStartObject();
        json.WriteString("time", repeats.Last.UtcDateTime);
        WriteDecision(json, repeats.First, repeats.Path);
        json.WriteNumber("repeated", repeats.Count);
        json.WriteString("since", repeats.First.At.UtcDateTime);
        json.WriteNumber("latency_ms_max", Math.Round(repeats.MaxLatency.TotalMilliseconds, 3));
        json.WriteEndObject();
    }

    private static void WriteDecision(Utf8JsonWriter json, in AuditRecord record, string path)
    {
        var decision = record.Decision;
        json.WriteString("log", "decision");
        json.WriteString("decision", DecisionOutcome.Names[DecisionOutcome.Of(decision)]);
        json.WriteNumber("status", decision.DryRun ? 200 : decision.HttpStatus);
        json.WriteString("reason", decision.Reason.ToWire());
        WriteIfSet(json, "detail", decision.Detail);
        WriteIfSet(json, "user", decision.Principal?.UserId);
        WriteIfSet(json, "namespace", decision.Namespace);
        if (decision.Role != AccessRole.None)
        {
            json.WriteString("role", decision.Role.ToWire());
        }

        WriteIfSet(json, "issuer", decision.Issuer);
        json.WriteString("method", record.Method);
        json.WriteString("path", path);
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
