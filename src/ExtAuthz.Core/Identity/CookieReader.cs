namespace ExtAuthz.Core.Identity;

/// <summary>
/// Finds one cookie in a Cookie header without allocating. Tolerant by design: pairs are split on ';' and on ','
/// (Envoy joins repeated cookie headers with a comma), spaces around names and values are ignored, and a
/// double-quoted value is unquoted. The first cookie of that name wins.
/// </summary>
internal static class CookieReader
{
    public static ReadOnlySpan<char> Find(string header, string name)
    {
        var rest = header.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(';', ',');
            var pair = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];

            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            if (!pair[..eq].Trim().SequenceEqual(name))
            {
                continue;
            }

            var value = pair[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            return value;
        }

        return default;
    }
}
