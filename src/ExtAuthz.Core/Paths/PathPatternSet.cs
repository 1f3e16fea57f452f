namespace ExtAuthz.Core.Paths;

/// <summary>An ordered set of <see cref="PathPattern"/>s; matches when any one does.</summary>
public sealed class PathPatternSet
{
    private readonly PathPattern[] _patterns;

    public PathPatternSet(IEnumerable<PathPattern> patterns) => _patterns = [.. patterns];

    public static PathPatternSet Empty { get; } = new([]);

    public IReadOnlyList<PathPattern> Patterns => _patterns;

    public static PathPatternSet Parse(IEnumerable<string> prefixes) => new(prefixes.Select(PathPattern.Parse));

    public bool Matches(ReadOnlySpan<char> path)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(path))
            {
                return true;
            }
        }

        return false;
    }
}
