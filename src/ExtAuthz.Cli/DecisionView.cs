using System.Globalization;
using System.Text;
using System.Text.Json;
using Envoy.Service.Auth.V3;

namespace ExtAuthz.Cli;

/// <summary>What a CheckResponse says, in words a platform engineer reads: decision, status, reason, mutations.</summary>
internal sealed record DecisionView(
    bool Allowed,
    int HttpStatus,
    string Reason,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<string> Removed,
    IReadOnlyDictionary<string, string> Metadata,
    string? Body,
    double LatencyMs,
    double? ServerMs)
{
    /// <summary>The server's own decision time, when it sent one (it does when asked, as this tool asks).</summary>
    private const string DecisionTimeField = "decision_time_us";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static DecisionView From(CheckResponse response, TimeSpan elapsed)
    {
        var allowed = (response.Status?.Code ?? 0) == 0;
        var metadata = response.DynamicMetadata?.Fields.ToDictionary(f => f.Key, f => f.Value.KindCase switch
        {
            Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue => f.Value.StringValue,
            Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue => f.Value.BoolValue ? "true" : "false",
            Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue => f.Value.NumberValue.ToString(CultureInfo.InvariantCulture),
            _ => f.Value.ToString(),
        }) ?? [];
        var reason = metadata.TryGetValue("reason", out var r) ? r : response.Status?.Message ?? string.Empty;
        double? serverMs = response.DynamicMetadata?.Fields.TryGetValue(DecisionTimeField, out var us) == true ? us.NumberValue / 1000 : null;
        metadata.Remove(DecisionTimeField);

        if (allowed)
        {
            var ok = response.OkResponse;
            return new DecisionView(true, 200, reason,
                ok?.Headers.Select(h => KeyValuePair.Create(h.Header.Key, h.Header.Value)).ToList() ?? [],
                ok?.HeadersToRemove.ToList() ?? [], metadata, null, elapsed.TotalMilliseconds, serverMs);
        }

        var denied = response.DeniedResponse;
        var status = denied?.Status is { } s && s.Code != 0 ? (int)s.Code : 403;
        return new DecisionView(false, status, reason,
            denied?.Headers.Select(h => KeyValuePair.Create(h.Header.Key, h.Header.Value)).ToList() ?? [],
            [], metadata, denied?.Body, elapsed.TotalMilliseconds, serverMs);
    }

    public string ToText(bool explain)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(Allowed ? "ALLOW" : "DENY ")} {HttpStatus}  {Reason}  ({Timing()})\n");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {(Allowed ? "set    " : "header ")} {name}: {value}\n");
        }

        if (Removed.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  remove  {string.Join(", ", Removed)}\n");
        }

        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  body    {Body}\n");
        }

        if (explain)
        {
            foreach (var key in new[] { "user", "namespace", "role", "detail", "dry_run" })
            {
                if (Metadata.TryGetValue(key, out var value))
                {
                    text.Append(CultureInfo.InvariantCulture, $"  {key,-9} {value}\n");
                }
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>The server's decision time and this tool's round trip (connection set up beforehand), each named.</summary>
    private string Timing() => ServerMs is { } server
        ? string.Create(CultureInfo.InvariantCulture, $"server decided in {server:0.000} ms; round trip {LatencyMs:0.00} ms")
        : string.Create(CultureInfo.InvariantCulture, $"round trip {LatencyMs:0.00} ms; the server sent no decision time");

    public string ToJson() => JsonSerializer.Serialize(new
    {
        decision = Allowed ? "allow" : "deny",
        status = HttpStatus,
        reason = Reason,
        headers = Headers.ToDictionary(h => h.Key, h => h.Value),
        removed = Removed,
        metadata = Metadata,
        body = Body,
        latencyMs = Math.Round(LatencyMs, 3),
        serverDecisionMs = ServerMs is { } server ? Math.Round(server, 4) : (double?)null,
    }, s_json);
}
