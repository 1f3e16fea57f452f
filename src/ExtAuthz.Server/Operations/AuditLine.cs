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
    /// <summary>Longest target written; a longer one is cut, so a hostile path cannot make a huge line.</summary>
    public const int MaxTargetChars = 2048;

    /// <param name="path">The record's target as <see cref="WithoutQueryValues"/> gives it.</param>
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

    /// <summary>"/a/b?x=1&amp;y=2" becomes "/a/b?x=&amp;y="; the fragment, if any, is dropped.</summary>
    public static string WithoutQueryValues(string target)
    {
        if (target.Length > MaxTargetChars)
        {
            target = target[..MaxTargetChars];
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            target = target[..hash];
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return target;
        }

        var names = target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? pair[..eq] : pair)
            .Select(name => name + "=");
        return string.Concat(target.AsSpan(0, question + 1), string.Join('&', names));
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
