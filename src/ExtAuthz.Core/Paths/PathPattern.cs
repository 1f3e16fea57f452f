namespace ExtAuthz.Core.Paths;

/// <summary>
/// A configured path matched segment by segment against a normalised path. Two forms, told apart by the trailing
/// slash so that a probe can never be widened by accident: a <b>prefix</b> ends with '/' ("/dex/" matches "/dex",
/// "/dex/" and "/dex/auth" but not "/dexter"); an <b>exact</b> path does not ("/healthz" matches "/healthz" only, not
/// "/healthz/", "/healthz/x" or "/healthzz"). In both, a "*" segment stands for exactly one non-empty segment.
/// </summary>
public sealed class PathPattern
{
    private readonly string[] _segments;

    private PathPattern(string text, string[] segments, bool isExact)
    {
        Text = text;
        _segments = segments;
        IsExact = isExact;
    }

    public string Text { get; }

    /// <summary>True for an exact path (no trailing '/'), false for a prefix.</summary>
    public bool IsExact { get; }

    /// <summary>Parses "/notebook/*/*/api/" (a prefix) or "/healthz" (exact); returns null with a message when it is neither.</summary>
    public static PathPattern? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text[0] != '/')
        {
            error = $"'{text}' must start with '/'";
            return null;
        }

        // Normalising changes the text of anything but a plain path (a query is cut off, unreserved escapes decoded,
        // lower-case escapes upper-cased, dot-segments resolved) and flags the rest, so equality is the whole test.
        var normalized = PathNormalizer.Normalize(text);
        if (normalized.IsAmbiguous || !normalized.Path.Span.SequenceEqual(text))
        {
            error = $"'{text}' is not a plain path (no query, encoding, dot or empty segments)";
            return null;
        }

        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new PathPattern(text, segments, isExact: !text.EndsWith('/'));
    }

    public static PathPattern Parse(string text) =>
        TryParse(text, out var error) ?? throw new FormatException(error);

    /// <summary>True when the normalised <paramref name="path"/> starts with this prefix, or is this exact path.</summary>
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

        // Exact: every segment consumed, and the last one not followed by a '/'.
        return !IsExact || (rest.IsEmpty && path[^1] != '/');
    }

    public override string ToString() => Text;
}
