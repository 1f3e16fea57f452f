namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Reads parameters out of a raw query string the way a backend will: split on '&amp;', the name and the value
/// percent-decoded ('+' as a space). Names are compared decoded, so <c>%6Eamespace</c> is <c>namespace</c>.
/// </summary>
internal static class QueryString
{
    // Longer names cannot be one we look for, even fully percent-encoded.
    private const int MaxNameLength = 256;

    /// <summary>Walks every parameter whose decoded name equals <paramref name="name"/>.</summary>
    public static Enumerator Find(string query, string name) => new(query, name);

    /// <summary>The decoded value: a slice of <paramref name="query"/> when nothing needed decoding; false on bad encoding.</summary>
    public static bool TryDecode(string query, Range value, out ReadOnlyMemory<char> decoded)
    {
        var (offset, length) = value.GetOffsetAndLength(query.Length);
        var raw = query.AsSpan(offset, length);
        if (raw.IndexOfAny('%', '+') < 0)
        {
            decoded = query.AsMemory(offset, length);
            return true;
        }

        var buffer = new char[raw.Length];
        var written = Decode(raw, buffer);
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

    /// <summary>Allocation-free walk over the parameters with one decoded name; yields the raw value's range.</summary>
    public ref struct Enumerator
    {
        private readonly string _query;
        private readonly string _name;
        private int _position;

        public Enumerator(string query, string name)
        {
            _query = query;
            _name = name;
            _position = 0;
            Current = default;
        }

        public Range Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_position <= _query.Length && _query.Length > 0)
            {
                var start = _position;
                var amp = _query.IndexOf('&', start);
                var end = amp < 0 ? _query.Length : amp;
                _position = end + 1;

                var pair = _query.AsSpan(start, end - start);
                var eq = pair.IndexOf('=');
                var rawName = eq < 0 ? pair : pair[..eq];
                if (NameEquals(rawName))
                {
                    Current = eq < 0 ? new Range(end, end) : new Range(start + eq + 1, end);
                    return true;
                }
            }

            return false;
        }

        private readonly bool NameEquals(ReadOnlySpan<char> rawName)
        {
            if (rawName.IndexOfAny('%', '+') < 0)
            {
                return rawName.SequenceEqual(_name);
            }

            if (rawName.Length > MaxNameLength)
            {
                return false;
            }

            Span<char> buffer = stackalloc char[MaxNameLength];
            var n = Decode(rawName, buffer);
            return n >= 0 && buffer[..n].SequenceEqual(_name);
        }
    }
}
