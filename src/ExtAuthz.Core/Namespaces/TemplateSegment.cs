namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// One segment of a <see cref="RouteTemplate"/>: a literal, a variable (<c>{ns}</c>, <c>*</c>; optionally only values
/// starting with a literal, <c>{id:viewer-*}</c>), or the rest of the path (<c>**</c>, zero or more segments).
/// </summary>
public readonly record struct TemplateSegment(SegmentKind Kind, string Text, string? Name)
{
    /// <summary>How specific the segment is: a literal beats a prefixed variable beats a variable beats the rest.</summary>
    public int Rank => Kind switch
    {
        SegmentKind.Literal => 3,
        SegmentKind.Variable when Text.Length > 0 => 2,
        SegmentKind.Variable => 1,
        _ => 0,
    };

    public bool Matches(ReadOnlySpan<char> segment, bool ignoreCase) => Kind switch
    {
        SegmentKind.Literal => ignoreCase ? segment.Equals(Text, StringComparison.OrdinalIgnoreCase) : segment.SequenceEqual(Text),
        SegmentKind.Variable => segment.Length > Text.Length
            && (ignoreCase ? segment.StartsWith(Text, StringComparison.OrdinalIgnoreCase) : segment.StartsWith(Text, StringComparison.Ordinal)),
        _ => true,
    };
}

public enum SegmentKind
{
    Literal,
    Variable,
    Rest,
}
