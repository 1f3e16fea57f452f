using System.Buffers;

namespace ExtAuthz.Core.Paths;

/// <summary>
/// Normalises the request target Envoy saw, so that a path means one thing only (DESIGN §2 step 2):
/// percent-encoded unreserved characters are decoded, dot-segments are resolved, and anything a backend could
/// read differently from us (an encoded '/' or '\', a NUL or control byte, an empty segment, a climb above the
/// root) marks the path ambiguous instead of being guessed at.
/// </summary>
public static class PathNormalizer
{
    // Characters that may stand raw in a path and need no work: unreserved, sub-delims, ':' and '@' (RFC 3986).
    private static readonly SearchValues<char> s_plain = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/");

    public static NormalizedPath Normalize(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return new NormalizedPath("/", string.Empty, PathProblem.Empty);
        }

        var queryAt = target.IndexOf('?');
        var pathPart = queryAt < 0 ? target.AsSpan() : target.AsSpan(0, queryAt);
        var query = queryAt < 0 ? ReadOnlyMemory<char>.Empty : target.AsMemory(queryAt + 1);
        var problem = PathProblem.None;

        var hashAt = pathPart.IndexOf('#');
        if (hashAt >= 0)
        {
            pathPart = pathPart[..hashAt];
            problem = PathProblem.Fragment;
        }

        if (pathPart.IsEmpty || pathPart[0] != '/')
        {
            return new NormalizedPath("/".AsMemory(), query, problem == PathProblem.None ? PathProblem.NotOriginForm : problem);
        }

        if (problem == PathProblem.None && IsAlreadyNormal(pathPart))
        {
            return new NormalizedPath(target.AsMemory(0, pathPart.Length), query, PathProblem.None);
        }

        return Slow(pathPart, query, problem);
    }

    /// <summary>True when the path has only plain characters, no empty segment and no dot-segment.</summary>
    private static bool IsAlreadyNormal(ReadOnlySpan<char> path)
    {
        if (path.ContainsAnyExcept(s_plain))
        {
            return false;
        }

        // Walk the segments after the leading '/'.
        var rest = path[1..];
        while (true)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.IsEmpty && slash >= 0)
            {
                return false; // "//"
            }

            if (segment is "." or "..")
            {
                return false;
            }

            if (slash < 0)
            {
                return true;
            }

            rest = rest[(slash + 1)..];
        }
    }

    private static NormalizedPath Slow(ReadOnlySpan<char> path, ReadOnlyMemory<char> query, PathProblem problem)
    {
        // Pass 1: decode unreserved percent-escapes, upper-case the others, flag what is ambiguous.
        var decoded = new ValueStringBuilder(stackalloc char[Math.Min(path.Length + 8, 512)]);
        try
        {
            for (var i = 0; i < path.Length; i++)
            {
                var c = path[i];
                if (c == '%')
                {
                    if (i + 2 >= path.Length || !IsHex(path[i + 1]) || !IsHex(path[i + 2]))
                    {
                        Flag(ref problem, PathProblem.BadPercentEncoding);
                        decoded.Append("%25");
                        continue;
                    }

                    var b = (HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]);
                    i += 2;
                    if (IsUnreserved(b))
                    {
                        decoded.Append((char)b);
                        continue;
                    }

                    if (b == '/')
                    {
                        Flag(ref problem, PathProblem.EncodedSlash);
                    }
                    else if (b == '\\')
                    {
                        Flag(ref problem, PathProblem.Backslash);
                    }
                    else if (b < 0x20 || b == 0x7F)
                    {
                        Flag(ref problem, PathProblem.ControlByte);
                    }

                    decoded.Append('%');
                    decoded.Append(HexDigit(b >> 4));
                    decoded.Append(HexDigit(b & 0xF));
                    continue;
                }

                if (c == '\\')
                {
                    Flag(ref problem, PathProblem.Backslash);
                }
                else if (c < 0x20 || c == 0x7F)
                {
                    Flag(ref problem, PathProblem.ControlByte);
                }
                else if (c > 0x7E || !s_plain.Contains(c))
                {
                    // Raw non-ASCII, spaces, quotes and the like never arrive from a conforming client.
                    Flag(ref problem, c > 0x7E ? PathProblem.NonAscii : PathProblem.IllegalCharacter);
                }

                decoded.Append(c);
            }

            // Pass 2: resolve dot-segments over the decoded text (so "%2E%2E" counts as ".."), and refuse "//".
            return new NormalizedPath(RemoveDotSegments(decoded.AsSpan(), ref problem).AsMemory(), query, problem);
        }
        finally
        {
            decoded.Dispose();
        }
    }

    private static string RemoveDotSegments(ReadOnlySpan<char> path, ref PathProblem problem)
    {
        // Segment boundaries of the output, so ".." can pop the last one.
        Span<int> starts = stackalloc int[Math.Min(path.Length + 1, 256)];
        var depth = 0;
        var output = new ValueStringBuilder(stackalloc char[Math.Min(path.Length + 1, 512)]);
        try
        {
            var rest = path[1..];
            bool endsWithSlash;
            while (true)
            {
                var slash = rest.IndexOf('/');
                var segment = slash < 0 ? rest : rest[..slash];
                var last = slash < 0;

                if (segment.IsEmpty)
                {
                    if (!last)
                    {
                        Flag(ref problem, PathProblem.EmptySegment);
                    }

                    endsWithSlash = true;
                }
                else if (segment is ".")
                {
                    endsWithSlash = true;
                }
                else if (segment is "..")
                {
                    if (depth == 0)
                    {
                        Flag(ref problem, PathProblem.AboveRoot);
                    }
                    else
                    {
                        depth--;
                        output.Length = starts[depth];
                    }

                    endsWithSlash = true;
                }
                else
                {
                    if (depth < starts.Length)
                    {
                        starts[depth] = output.Length;
                    }
                    else
                    {
                        Flag(ref problem, PathProblem.TooManySegments);
                    }

                    depth = Math.Min(depth + 1, starts.Length);
                    output.Append('/');
                    output.Append(segment);
                    endsWithSlash = false;
                }

                if (last)
                {
                    break;
                }

                rest = rest[(slash + 1)..];
            }

            if (endsWithSlash)
            {
                output.Append('/');
            }

            return output.AsSpan().ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    private static void Flag(ref PathProblem problem, PathProblem found)
    {
        if (problem == PathProblem.None)
        {
            problem = found;
        }
    }

    private static bool IsUnreserved(int b) =>
        b is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '~';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'A' + v - 10);
}
