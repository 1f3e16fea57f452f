namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Every spelling under which one framework reads a set of parameters: the names themselves, grpc-gateway's JSON
/// names, and <c>name[…]</c> where the framework reads brackets (qs arrays and objects, grpc-gateway maps).
/// </summary>
internal sealed class QueryParameters
{
    private readonly string[] _spellings;
    private readonly bool _brackets;

    public QueryParameters(Framework framework, IEnumerable<string> names)
    {
        _spellings = [.. names.SelectMany(n => framework.Spellings(n)).Distinct(StringComparer.Ordinal)];
        _brackets = framework.ReadsBrackets();
    }

    public bool IsEmpty => _spellings.Length == 0;

    /// <summary>Walks the raw value range of every parameter one of the spellings names, without allocating.</summary>
    public Enumerator Find(ReadOnlyMemory<char> query) => new(this, query);

    public ref struct Enumerator
    {
        private readonly QueryParameters _owner;
        private readonly ReadOnlySpan<char> _text;
        private int _position;

        public Enumerator(QueryParameters owner, ReadOnlyMemory<char> query)
        {
            _owner = owner;
            _text = query.Span;
            _position = 0;
            Current = default;
        }

        public Range Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_position <= _text.Length && _text.Length > 0)
            {
                var start = _position;
                var amp = _text[start..].IndexOf('&');
                var end = amp < 0 ? _text.Length : start + amp;
                _position = end + 1;

                var pair = _text[start..end];
                var eq = pair.IndexOf('=');
                if (_owner.Names(eq < 0 ? pair : pair[..eq]))
                {
                    Current = eq < 0 ? new Range(end, end) : new Range(start + eq + 1, end);
                    return true;
                }
            }

            return false;
        }
    }

    private bool Names(ReadOnlySpan<char> rawName)
    {
        if (rawName.IndexOfAny('%', '+') < 0)
        {
            return Matches(rawName);
        }

        if (rawName.Length > QueryString.MaxNameLength)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[QueryString.MaxNameLength];
        var n = QueryString.Decode(rawName, buffer);
        return n >= 0 && Matches(buffer[..n]);
    }

    private bool Matches(ReadOnlySpan<char> name)
    {
        foreach (var spelling in _spellings)
        {
            if (name.StartsWith(spelling, StringComparison.Ordinal)
                && (name.Length == spelling.Length || _brackets && name[spelling.Length] == '['))
            {
                return true;
            }
        }

        return false;
    }
}
