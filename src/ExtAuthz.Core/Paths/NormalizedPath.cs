namespace ExtAuthz.Core.Paths;

/// <summary>
/// A request path after <see cref="PathNormalizer"/>: every later step (public or not, which namespace) reads
/// <see cref="Path"/>, never the raw request target.
/// </summary>
/// <param name="Path">Decoded (unreserved characters only), dot-segments resolved; always starts with '/'. A slice of
/// the request target when it needed no work, so a request with a query string costs no copy.</param>
/// <param name="Query">The raw query string without the '?', or empty; a slice of the request target.</param>
/// <param name="Problem">Why the path is ambiguous, or <see cref="PathProblem.None"/>.</param>
public readonly record struct NormalizedPath(ReadOnlyMemory<char> Path, ReadOnlyMemory<char> Query, PathProblem Problem)
{
    public NormalizedPath(string path, string query, PathProblem problem)
        : this(path.AsMemory(), query.AsMemory(), problem)
    {
    }

    /// <summary>An ambiguous path is never public and never names a namespace.</summary>
    public bool IsAmbiguous => Problem != PathProblem.None;
}

/// <summary>Why a path cannot be read one way only.</summary>
public enum PathProblem
{
    None = 0,
    Empty,
    NotOriginForm,
    EncodedSlash,
    Backslash,
    ControlByte,
    NonAscii,
    BadPercentEncoding,
    EmptySegment,
    AboveRoot,
    Fragment,
    IllegalCharacter,
    TooManySegments,
}
