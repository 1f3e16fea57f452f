using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// Step 1: copies what a decision reads out of a parsed CheckRequest. Both header forms are read: the
/// <c>headers</c> map Istio sends, and the raw <c>header_map</c> (bytes, duplicates not merged) that Envoy sends
/// with <c>encode_raw_headers</c>. Bytes that are not UTF-8 become U+FFFD and can then never match a token. An
/// empty method, path or host field falls back to its pseudo-header: the <c>headers</c> map's entry, else the first
/// <c>header_map</c> entry of that exact (lower-case) name.
/// </summary>
internal static class CheckRequestReader
{
    public static void Read(CheckRequest request, CheckInput input)
    {
        var http = request.Attributes?.Request?.Http;
        if (http is null)
        {
            return;
        }

        var attributes = request.Attributes!;
        input.HasHttp = true;
        input.Method = http.Method;
        input.Path = http.Path;
        input.Host = http.Host;
        input.Protocol = http.Protocol;
        input.SourcePrincipal = attributes.Source?.Principal ?? string.Empty;
        input.DestinationPrincipal = attributes.Destination?.Principal ?? string.Empty;

        var slots = input.Slots;
        var tracing = CheckTracing.Source.HasListeners();
        foreach (var (name, value) in http.Headers)
        {
            if (slots.TryGetSlot(name, out var slot) && (tracing || !HeaderSlots.IsTracing(slot)))
            {
                input.AddHeader(slot, value);
            }
        }

        if (http.HeaderMap is { } headerMap)
        {
            foreach (var header in headerMap.Headers)
            {
                if (slots.TryGetSlot(header.Key, out var slot) && (tracing || !HeaderSlots.IsTracing(slot)))
                {
                    input.AddHeader(slot, ValueOf(header));
                }
            }
        }

        if (input.Method.Length == 0)
        {
            input.Method = Pseudo(http, ":method");
        }

        if (input.Path.Length == 0)
        {
            input.Path = Pseudo(http, ":path");
        }

        if (input.Host.Length == 0)
        {
            input.Host = Pseudo(http, ":authority");
        }
    }

    private static string Pseudo(AttributeContext.Types.HttpRequest http, string name)
    {
        if (http.Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        if (http.HeaderMap is { } headerMap)
        {
            foreach (var header in headerMap.Headers)
            {
                if (header.Key == name)
                {
                    return ValueOf(header);
                }
            }
        }

        return string.Empty;
    }

    private static string ValueOf(Envoy.Config.Core.V3.HeaderValue header) =>
        header.Value.Length > 0 || header.RawValue.IsEmpty ? header.Value : header.RawValue.ToStringUtf8();
}
