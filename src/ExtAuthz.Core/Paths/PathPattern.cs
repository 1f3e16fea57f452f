namespace ExtAuthz.Core.Paths;

/// <summary>
/// A configured path prefix matched on segment boundaries of a normalised path: "/dex/" matches "/dex" and
/// "/dex/auth" but not "/dexter"; a "*" segment stands for exactly one non-empty segment.
/// </summary>
public sealed class PathPattern
{
    private readonly string[] _segments;

    private PathPattern(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>Parses a prefix such as "/notebook/*/*/api/"; returns null with a message when it is not one.</summary>
    public static PathPattern? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text[0] != '/')
        {
            error = $"'{text}' must start with '/'";
            return null;
        }

        var normalized = PathNormalizer.Normalize(text);
        if (normalized.IsAmbiguous || normalized.Query.Length > 0 || !IsSame(normalized.Path.Span, text))
        {
            error = $"'{text}' is not a plain path prefix (no query, encoding, dot or empty segments)";
            return null;
        }

        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new PathPattern(text, segments);
    }

    /// <summary>The normalised form equals the text, give or take one trailing '/'.</summary>
    private static bool IsSame(ReadOnlySpan<char> normalized, string text) =>
        normalized.SequenceEqual(text) || normalized.TrimEnd('/').SequenceEqual(text.AsSpan().TrimEnd('/')) && Math.Abs(normalized.Length - text.Length) <= 1;

    public static PathPattern Parse(string text) =>
        TryParse(text, out var error) ?? throw new FormatException(error);

    /// <summary>True when the normalised <paramref name="path"/> starts with this prefix, segment by segment.</summary>
    public bool Matches(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return false;
        }

        var rest = path[1..];
        foreach (var expected in _segments)
        {
            if (rest.IsEmpty)
            {
                return false;
            }

            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.IsEmpty)
            {
                return false;
            }

            if (expected != "*" && !segment.SequenceEqual(expected))
            {
                return false;
            }

            rest = slash < 0 ? [] : rest[(slash + 1)..];
        }

        return true;
    }

    public override string ToString() => Text;
}
