namespace ExtAuthz.Core.Login;

/// <summary>
/// The open-redirect rule for <c>rd</c>: only a relative path on this site survives, checked as given and again after
/// percent-decoding (twice, so a doubly encoded trick is seen too). Anything else becomes <c>/</c>.
/// </summary>
public static class ReturnPath
{
    public const int MaxLength = 2048;

    /// <summary><paramref name="rd"/> when it is a safe relative path, else "/".</summary>
    public static string Safe(string? rd) => IsSafe(rd) ? rd! : "/";

    public static bool IsSafe(string? rd)
    {
        if (string.IsNullOrEmpty(rd) || rd.Length > MaxLength)
        {
            return false;
        }

        var once = Uri.UnescapeDataString(rd);
        var twice = Uri.UnescapeDataString(once);
        return IsSafeForm(rd) && IsSafeForm(once) && IsSafeForm(twice);
    }

    /// <summary>
    /// Starts with exactly one '/', the second character is not '/' or '\', no '\' anywhere, no control characters or
    /// whitespace, no dot segments, no scheme before the first '/', and no fragment.
    /// </summary>
    private static bool IsSafeForm(string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return false;
        }

        if (path.Length > 1 && (path[1] == '/' || path[1] == '\\'))
        {
            return false;
        }

        foreach (var c in path)
        {
            if (c == '\\' || c == '#' || char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029' or '\uFEFF')
            {
                return false;
            }
        }

        var query = path.IndexOf('?');
        var pathPart = query < 0 ? path : path[..query];
        foreach (var segment in pathPart.Split('/'))
        {
            if (segment is "." or "..")
            {
                return false;
            }
        }

        return !pathPart.Contains("//", StringComparison.Ordinal);
    }
}
