using System.Text;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Step 1 straight from the request bytes: walks the CheckRequest wire format and materialises only what a
/// decision reads (method, path, host, protocol, the two principals, the headers that have a slot); every other
/// field and header is skipped unread. It fills <see cref="CheckInput"/> exactly as <see cref="CheckRequestReader"/>
/// does from a parsed message. Where protobuf's own rules would make the answer depend on merging — a repeated
/// <c>attributes</c>, <c>request</c> or <c>http</c> message (merged field by field), or two <c>headers</c> map
/// entries for one kept header (the last key wins, case variants join) — it refuses, and the caller parses the
/// bytes with the generated parser instead: Envoy never sends those shapes, and so both readers always agree.
/// Invalid UTF-8 in a string field it reads, or in any header, is refused as the generated parser refuses it;
/// string fields it skips (ids, peer services, a forwarded <c>body</c>) are not checked.
/// </summary>
internal static class CheckRequestWireReader
{
    // Field numbers from reference/envoy-ext-authz.md §1 (the same ones protos/ declares).
    private static readonly uint s_attributes = ProtoSpanReader.Tag(1, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_source = ProtoSpanReader.Tag(1, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_destination = ProtoSpanReader.Tag(2, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_request = ProtoSpanReader.Tag(4, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_peerPrincipal = ProtoSpanReader.Tag(4, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_http = ProtoSpanReader.Tag(2, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_method = ProtoSpanReader.Tag(2, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_headers = ProtoSpanReader.Tag(3, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_path = ProtoSpanReader.Tag(4, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_host = ProtoSpanReader.Tag(5, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_protocol = ProtoSpanReader.Tag(10, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_headerMap = ProtoSpanReader.Tag(13, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_key = ProtoSpanReader.Tag(1, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_value = ProtoSpanReader.Tag(2, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_rawValue = ProtoSpanReader.Tag(3, ProtoSpanReader.LengthDelimited);
    private static readonly uint s_headerValue = ProtoSpanReader.Tag(1, ProtoSpanReader.LengthDelimited);

    /// <summary>Fills <paramref name="input"/> from a serialized CheckRequest; throws <see cref="MalformedWireException"/>.</summary>
    public static void Read(ReadOnlySpan<byte> message, CheckInput input, SlotNames names)
    {
        var reader = new ProtoSpanReader(message);
        var seen = false;
        while (reader.TryReadTag(out var tag))
        {
            if (tag == s_attributes)
            {
                Once(ref seen, "attributes");
                ReadAttributes(reader.ReadLengthDelimited(), input, names);
            }
            else
            {
                reader.Skip(tag);
            }
        }

        if (!input.HasHttp)
        {
            // As the parsed-message reader: without attributes.request.http nothing else is kept.
            input.Reset();
            return;
        }

    }

    /// <summary>A message protobuf would merge with an earlier one of the same field: left to the generated parser.</summary>
    private static void Once(ref bool seen, string field)
    {
        if (seen)
        {
            throw new MalformedWireException($"{field} repeated");
        }

        seen = true;
    }

    private static void ReadAttributes(ReadOnlySpan<byte> attributes, CheckInput input, SlotNames names)
    {
        var reader = new ProtoSpanReader(attributes);
        var seen = false;
        while (reader.TryReadTag(out var tag))
        {
            if (tag == s_source)
            {
                input.SourcePrincipal = ReadPrincipal(reader.ReadLengthDelimited(), input.SourcePrincipal, names);
            }
            else if (tag == s_destination)
            {
                input.DestinationPrincipal = ReadPrincipal(reader.ReadLengthDelimited(), input.DestinationPrincipal, names);
            }
            else if (tag == s_request)
            {
                Once(ref seen, "attributes.request");
                ReadRequest(reader.ReadLengthDelimited(), input, names);
            }
            else
            {
                reader.Skip(tag);
            }
        }
    }

    private static string ReadPrincipal(ReadOnlySpan<byte> peer, string current, SlotNames names)
    {
        var reader = new ProtoSpanReader(peer);
        while (reader.TryReadTag(out var tag))
        {
            if (tag == s_peerPrincipal)
            {
                current = names.Principals.Get(reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(tag);
            }
        }

        return current;
    }

    private static void ReadRequest(ReadOnlySpan<byte> request, CheckInput input, SlotNames names)
    {
        var reader = new ProtoSpanReader(request);
        var seen = false;
        while (reader.TryReadTag(out var tag))
        {
            if (tag == s_http)
            {
                Once(ref seen, "attributes.request.http");
                input.HasHttp = true;
                ReadHttp(reader.ReadLengthDelimited(), input, names);
            }
            else
            {
                reader.Skip(tag);
            }
        }
    }

    /// <summary>The headers map first, then header_map: the order the parsed-message reader joins them in.</summary>
    private static void ReadHttp(ReadOnlySpan<byte> http, CheckInput input, SlotNames names)
    {
        var reader = new ProtoSpanReader(http);
        var sawHeaderMap = false;
        var pseudo = default(PseudoHeaders);
        var tracing = CheckTracing.Source.HasListeners();
        while (reader.TryReadTag(out var tag))
        {
            if (tag == s_method)
            {
                input.Method = WireStrings.Method(reader.ReadLengthDelimited());
            }
            else if (tag == s_headers)
            {
                ReadMapEntry(reader.ReadLengthDelimited(), http, input, names, tracing, ref pseudo);
            }
            else if (tag == s_path)
            {
                input.Path = WireStrings.Utf8(reader.ReadLengthDelimited());
            }
            else if (tag == s_host)
            {
                input.Host = names.Hosts.Get(reader.ReadLengthDelimited());
            }
            else if (tag == s_protocol)
            {
                input.Protocol = WireStrings.Protocol(reader.ReadLengthDelimited());
            }
            else
            {
                sawHeaderMap |= tag == s_headerMap;
                reader.Skip(tag);
            }
        }

        if (sawHeaderMap)
        {
            ReadHeaderMaps(http, input, names, tracing, ref pseudo);
        }

        pseudo.ApplyTo(input, http, names);
    }

    private static void ReadHeaderMaps(ReadOnlySpan<byte> http, CheckInput input, SlotNames names, bool tracing, ref PseudoHeaders pseudo)
    {
        var reader = new ProtoSpanReader(http);
        while (reader.TryReadTag(out var tag))
        {
            if (tag != s_headerMap)
            {
                reader.Skip(tag);
                continue;
            }

            var map = new ProtoSpanReader(reader.ReadLengthDelimited());
            while (map.TryReadTag(out var entryTag))
            {
                if (entryTag == s_headerValue)
                {
                    ReadHeaderValue(map.ReadLengthDelimited(), http, input, names, tracing, ref pseudo);
                }
                else
                {
                    map.Skip(entryTag);
                }
            }
        }
    }

    /// <summary>A map&lt;string,string&gt; entry: key 1, value 2. A second entry for a kept header is refused (see the type).</summary>
    private static void ReadMapEntry(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> http, CheckInput input, SlotNames names, bool tracing,
        ref PseudoHeaders pseudo)
    {
        if (!TrySplitEntry(entry, out var key, out var value))
        {
            SplitEntry(entry, out key, out value);
        }

        // Unread entries are still checked for UTF-8: the generated parser refuses the whole request for one. An
        // entry under 128 bytes has one-byte tags and lengths, so one ASCII pass over it covers key and value.
        var ascii = entry.Length < 128 && Ascii.IsValid(entry);
        if (!ascii)
        {
            WireStrings.Validate(key);
        }

        if (key.Length > 0 && key[0] == (byte)':')
        {
            if (!ascii)
            {
                WireStrings.Validate(value);
            }

            // Protobuf keeps the last entry of a repeated map key: so does this.
            pseudo.FromMap(key, http, value);
            return;
        }

        if (names.TryGetSlot(key, out var slot, ascii) && (tracing || !HeaderSlots.IsTracing(slot)))
        {
            if (input.GetHeader(slot) is not null)
            {
                throw new MalformedWireException("a kept header twice in the headers map");
            }

            // Decoding a kept value refuses invalid UTF-8; a credential found among the recent values is ASCII.
            input.AddHeader(slot, names.Value(slot, value));
        }
        else if (!ascii)
        {
            WireStrings.Validate(value);
        }
    }

    /// <summary>
    /// The shape every protobuf writer gives a map entry — key (1) then value (2), each with a one- or two-byte
    /// length, nothing else — split without a general walk. Any other shape is left to <see cref="SplitEntry"/>.
    /// </summary>
    private static bool TrySplitEntry(ReadOnlySpan<byte> entry, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = default;
        value = default;
        if (entry.Length < 4 || entry[0] != (byte)s_key || entry[1] >= 0x80)
        {
            return false;
        }

        var keyEnd = 2 + entry[1];
        if (keyEnd + 2 > entry.Length || entry[keyEnd] != (byte)s_value)
        {
            return false;
        }

        int valueLength = entry[keyEnd + 1];
        var valueStart = keyEnd + 2;
        if (valueLength >= 0x80)
        {
            if (valueStart >= entry.Length || entry[valueStart] >= 0x80)
            {
                return false;
            }

            valueLength = (valueLength & 0x7F) | (entry[valueStart] << 7);
            valueStart++;
        }

        if (valueStart + valueLength != entry.Length)
        {
            return false;
        }

        key = entry.Slice(2, keyEnd - 2);
        value = entry.Slice(valueStart, valueLength);
        return true;
    }

    /// <summary>A map entry in any valid shape: fields in any order, repeated (the last wins), unknown ones skipped.</summary>
    private static void SplitEntry(ReadOnlySpan<byte> entry, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = default;
        value = default;
        var reader = new ProtoSpanReader(entry);
        while (reader.TryReadTag(out var tag))
        {
            if (tag == s_key)
            {
                key = reader.ReadLengthDelimited();
            }
            else if (tag == s_value)
            {
                value = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(tag);
            }
        }
    }

    /// <summary>envoy.config.core.v3.HeaderValue: key 1, value 2, raw_value 3 (bytes; non-UTF-8 becomes U+FFFD).</summary>
    private static void ReadHeaderValue(ReadOnlySpan<byte> header, ReadOnlySpan<byte> http, CheckInput input, SlotNames names, bool tracing,
        ref PseudoHeaders pseudo)
    {
        ReadOnlySpan<byte> key = default;
        ReadOnlySpan<byte> value = default;
        ReadOnlySpan<byte> raw = default;
        var reader = new ProtoSpanReader(header);
        while (reader.TryReadTag(out var tag))
        {
            if (tag == s_key)
            {
                key = reader.ReadLengthDelimited();
            }
            else if (tag == s_value)
            {
                value = reader.ReadLengthDelimited();
            }
            else if (tag == s_rawValue)
            {
                raw = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(tag);
            }
        }

        WireStrings.Validate(key);
        WireStrings.Validate(value);
        var useRaw = value.IsEmpty && !raw.IsEmpty;
        if (key.Length > 0 && key[0] == (byte)':')
        {
            pseudo.FromHeaderMap(key, http, useRaw ? raw : value, useRaw);
            return;
        }

        if (names.TryGetSlot(key, out var slot) && (tracing || !HeaderSlots.IsTracing(slot)))
        {
            input.AddHeader(slot, useRaw ? WireStrings.Lenient(raw) : names.Value(slot, value));
        }
    }
}
