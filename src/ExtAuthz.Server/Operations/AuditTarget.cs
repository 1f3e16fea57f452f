namespace ExtAuthz.Server.Operations;

/// <summary>
/// The request target as a decision line shows it: cut at <see cref="MaxChars"/>, without fragment, the query keeping
/// its names only (a token in a query string stays out). Two targets can also be compared and hashed as shown without
/// building either string, so a folded repeat costs no allocation.
/// </summary>
internal static class AuditTarget
{
    /// <summary>Longest target considered; a longer one is cut, so a hostile path cannot make a huge line.</summary>
    public const int MaxChars = 2048;

    /// <summary>"/a/b?x=1&amp;y=2" becomes "/a/b?x=&amp;y="; the fragment, if any, is dropped.</summary>
    public static string Shown(string target)
    {
        var hasQuery = Split(target, out var path, out var query);
        if (!hasQuery)
        {
            return path.Length == target.Length ? target : path.ToString();
        }

        var shown = new System.Text.StringBuilder(path.Length + 1 + query.Length);
        shown.Append(path).Append('?');
        var first = true;
        foreach (var name in new QueryNames(query))
        {
            shown.Append(first ? "" : "&").Append(name).Append('=');
            first = false;
        }

        return shown.ToString();
    }

    /// <summary>True when <see cref="Shown"/> gives the same text for both.</summary>
    public static bool SameShown(string a, string b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        var hasA = Split(a, out var pathA, out var queryA);
        var hasB = Split(b, out var pathB, out var queryB);
        if (hasA != hasB || !pathA.SequenceEqual(pathB))
        {
            return false;
        }

        var namesA = new QueryNames(queryA);
        var namesB = new QueryNames(queryB);
        while (true)
        {
            var moreA = namesA.MoveNext();
            if (moreA != namesB.MoveNext())
            {
                return false;
            }

            if (!moreA)
            {
                return true;
            }

            if (!namesA.Current.SequenceEqual(namesB.Current))
            {
                return false;
            }
        }
    }

    /// <summary>A hash of what <see cref="Shown"/> gives, consistent with <see cref="SameShown"/>.</summary>
    public static int HashShown(string target)
    {
        var hasQuery = Split(target, out var path, out var query);
        var hash = new HashCode();
        hash.Add(string.GetHashCode(path));
        hash.Add(hasQuery);
        foreach (var name in new QueryNames(query))
        {
            hash.Add(string.GetHashCode(name));
        }

        return hash.ToHashCode();
    }

    /// <returns>Whether the target has a query (after the cut and without the fragment).</returns>
    private static bool Split(string target, out ReadOnlySpan<char> path, out ReadOnlySpan<char> query)
    {
        var text = target.AsSpan(0, Math.Min(target.Length, MaxChars));
        var hash = text.IndexOf('#');
        if (hash >= 0)
        {
            text = text[..hash];
        }

        var question = text.IndexOf('?');
        path = question < 0 ? text : text[..question];
        query = question < 0 ? default : text[(question + 1)..];
        return question >= 0;
    }

    /// <summary>The names of the non-empty '&amp;'-separated pairs of a query, in order.</summary>
    private ref struct QueryNames
    {
        private ReadOnlySpan<char> _rest;

        public QueryNames(ReadOnlySpan<char> query)
        {
            _rest = query;
            Current = default;
        }

        public ReadOnlySpan<char> Current { get; private set; }

        public readonly QueryNames GetEnumerator() => this;

        public bool MoveNext()
        {
            while (!_rest.IsEmpty)
            {
                var amp = _rest.IndexOf('&');
                var pair = amp < 0 ? _rest : _rest[..amp];
                _rest = amp < 0 ? default : _rest[(amp + 1)..];
                if (!pair.IsEmpty)
                {
                    var eq = pair.IndexOf('=');
                    Current = eq < 0 ? pair : pair[..eq];
                    return true;
                }
            }

            return false;
        }
    }
}
