namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// RFC 1123 labels, the shape of every Kubernetes namespace name: a request that names something else names no
/// namespace we could hold a grant for, so it is denied without a lookup.
/// </summary>
public static class DnsLabel
{
    public const int MaxLength = 63;

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength || name[0] == '-' || name[^1] == '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
