namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Reads parameters out of a raw query string the way a backend will: split on '&amp;', the name and the value
/// percent-decoded ('+' as a space). Names are compared decoded, so <c>%6Eamespace</c> is <c>namespace</c>.
/// </summary>
internal static class QueryString
{
    /// <summary>Longer names cannot be one we look for, even fully percent-encoded.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The decoded value: a slice of <paramref name="query"/> when nothing needed decoding; false on bad encoding.</summary>
    public static bool TryDecode(ReadOnlyMemory<char> query, Range value, out ReadOnlyMemory<char> decoded)
    {
        var raw = query[value];
        if (raw.Span.IndexOfAny('%', '+') < 0)
        {
            decoded = raw;
            return true;
        }

        var buffer = new char[raw.Length];
        var written = Decode(raw.Span, buffer);
        decoded = written < 0 ? default : new string(buffer, 0, written).AsMemory();
        return written >= 0;
    }

    /// <summary>Decodes into <paramref name="destination"/> (as long as the input); -1 on a bad or non-ASCII escape.</summary>
    public static int Decode(ReadOnlySpan<char> raw, Span<char> destination)
    {
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '+')
            {
                destination[n++] = ' ';
            }
            else if (c == '%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
                {
                    return -1;
                }

                var b = (Hex(raw[i + 1]) << 4) | Hex(raw[i + 2]);
                if (b >= 0x80)
                {
                    // Part of a multi-byte sequence: never part of a parameter name or a namespace we accept.
                    return -1;
                }

                destination[n++] = (char)b;
                i += 2;
            }
            else
            {
                destination[n++] = c;
            }
        }

        return n;
    }

    private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
