using System.Diagnostics;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The trace a Check belongs to, read from the client request's own headers inside the CheckRequest: W3C
/// <c>traceparent</c> (with <c>tracestate</c>), else B3 single-header <c>b3</c>, else B3 multi-header
/// <c>x-b3-traceid</c> / <c>x-b3-spanid</c> / <c>x-b3-sampled</c>. Anything malformed means no parent.
/// </summary>
internal static class TraceParents
{
    public static bool TryRead(CheckInput input, out ActivityContext parent)
    {
        if (input.GetHeader(HeaderSlots.TraceParent) is { } traceparent
            && ActivityContext.TryParse(traceparent, input.GetHeader(HeaderSlots.TraceState), isRemote: true, out parent))
        {
            return true;
        }

        if (input.GetHeader(HeaderSlots.B3) is { } b3)
        {
            // traceid-spanid[-sampled[-parentspanid]]; a lone "0" / "1" / "d" carries only a sampling decision.
            var parts = b3.Split('-');
            if (parts.Length >= 2)
            {
                return TryB3(parts[0], parts[1], parts.Length > 2 ? parts[2] : null, out parent);
            }
        }

        if (input.GetHeader(HeaderSlots.XB3TraceId) is { } traceId && input.GetHeader(HeaderSlots.XB3SpanId) is { } spanId)
        {
            return TryB3(traceId, spanId, input.GetHeader(HeaderSlots.XB3Sampled), out parent);
        }

        parent = default;
        return false;
    }

    private static bool TryB3(string traceId, string spanId, string? sampled, out ActivityContext parent)
    {
        parent = default;
        // B3 allows 64-bit trace ids; W3C ids are 128-bit, so the short form is left-padded with zeros.
        if (traceId.Length == 16)
        {
            traceId = string.Concat("0000000000000000", traceId);
        }

        if (traceId.Length != 32 || spanId.Length != 16 || !IsLowerHex(traceId) || !IsLowerHex(spanId)
            || traceId.All(c => c == '0') || spanId.All(c => c == '0'))
        {
            return false;
        }

        var flags = sampled is "1" or "d" or "true" ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        parent = new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateFromString(spanId), flags, isRemote: true);
        return true;
    }

    private static bool IsLowerHex(string value) => value.All(char.IsAsciiHexDigitLower);
}
