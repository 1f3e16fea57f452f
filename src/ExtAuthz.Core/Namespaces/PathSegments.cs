namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// The segments of a normalised path as ranges (one trailing '/' ignored), split once per request into a caller's
/// stack buffer; paths longer than the buffer keep their first segments and are marked so that only a template
/// ending in <c>**</c> can match them.
/// </summary>
internal readonly ref struct PathSegments
{
    public const int MaxSegments = 32;

    private readonly ReadOnlySpan<char> _path;
    private readonly ReadOnlySpan<Range> _ranges;

    public PathSegments(ReadOnlySpan<char> path, Span<Range> buffer)
    {
        _path = path;
        var count = 0;
        var position = 1;
        while (position < path.Length)
        {
            var slash = path[position..].IndexOf('/');
            var end = slash < 0 ? path.Length : position + slash;
            if (count == buffer.Length)
            {
                Overflow = true;
                break;
            }

            buffer[count++] = new Range(position, end);
            position = end + 1;
        }

        _ranges = buffer[..count];
    }

    public int Count => _ranges.Length;

    /// <summary>The path has more segments than were kept.</summary>
    public bool Overflow { get; }

    public ReadOnlySpan<char> this[int index] => _path[_ranges[index]];

    public Range RangeOf(int index) => _ranges[index];
}
