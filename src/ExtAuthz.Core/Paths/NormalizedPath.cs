namespace ExtAuthz.Core.Paths;

/// <summary>
/// A request path after <see cref="PathNormalizer"/>: every later step (public or not, which namespace) reads
/// <see cref="Path"/>, never the raw request target.
/// </summary>
/// <param name="Path">Decoded (unreserved characters only), dot-segments resolved; always starts with '/'.</param>
/// <param name="Query">The raw query string without the '?', or empty.</param>
/// <param name="Problem">Why the path is ambiguous, or <see cref="PathProblem.None"/>.</param>
public readonly record struct NormalizedPath(string Path, string Query, PathProblem Problem)
{
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
