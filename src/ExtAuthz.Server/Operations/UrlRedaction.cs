namespace ExtAuthz.Server.Operations;

/// <summary>
/// Removes the user-info (<c>user:password@</c>) of every URL in a text before we print it: on <c>/readyz</c>, in
/// log lines and in start-up errors. A key-set or discovery URL may carry basic-auth credentials; the host and path
/// stay, so the URL can still be recognised.
/// </summary>
public static class UrlRedaction
{
    public const string Hidden = "***";

    /// <returns>The same instance when there is nothing to hide (no allocation).</returns>
    public static string Redact(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal) || !text.Contains('@', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        var rest = text.AsSpan();
        while (true)
        {
            var scheme = rest.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0)
            {
                result.Append(rest);
                return result.ToString();
            }

            var authorityStart = scheme + 3;
            result.Append(rest[..authorityStart]);
            rest = rest[authorityStart..];
            var end = rest.IndexOfAny(s_authorityEnds);
            var authority = end < 0 ? rest : rest[..end];
            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                result.Append(Hidden);
                rest = rest[at..];
            }
        }
    }

    /// <summary>Characters that end a URL's authority, or the URL itself in running text or JSON.</summary>
    private static readonly System.Buffers.SearchValues<char> s_authorityEnds =
        System.Buffers.SearchValues.Create("/?#\"'<>\\ \t\r\n,;()[]{}");
}
