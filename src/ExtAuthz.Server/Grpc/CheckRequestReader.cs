using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// Step 1: copies what a decision reads out of a parsed CheckRequest. Both header forms are read: the
/// <c>headers</c> map Istio sends, and the raw <c>header_map</c> (bytes, duplicates not merged) that Envoy sends
/// with <c>encode_raw_headers</c>. Bytes that are not UTF-8 become U+FFFD and can then never match a token.
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
        foreach (var (name, value) in http.Headers)
        {
            if (slots.TryGetSlot(name, out var slot))
            {
                input.AddHeader(slot, value);
            }
        }

        if (http.HeaderMap is { } headerMap)
        {
            foreach (var header in headerMap.Headers)
            {
                if (slots.TryGetSlot(header.Key, out var slot))
                {
                    input.AddHeader(slot, header.Value.Length > 0 || header.RawValue.IsEmpty ? header.Value : header.RawValue.ToStringUtf8());
                }
            }
        }

        input.ApplyPseudoHeaderFallbacks();
    }
}
