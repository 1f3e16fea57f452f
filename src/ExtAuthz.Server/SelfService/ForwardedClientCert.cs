namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Reads Envoy's <c>x-forwarded-client-cert</c>. Each hop appends one element (<c>By=…;Hash=…;URI=spiffe://…</c>,
/// elements separated by ',', values possibly quoted); our own sidecar appends the last one, about the peer that
/// connected to it over mTLS. Everything before it may have been written by the client, so only the last element's
/// <c>URI</c> is read.
/// </summary>
internal static class ForwardedClientCert
{
    private const string Spiffe = "spiffe://";

    /// <summary>The peer's SPIFFE id without <c>spiffe://</c> (<c>cluster.local/ns/kubeflow/sa/dashboard</c>), or null.</summary>
    public static string? LastPeer(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var last = LastElement(header);
        foreach (var pair in Split(last, ';'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !pair.AsSpan(0, eq).Trim().Equals("URI", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = Unquote(pair[(eq + 1)..].Trim());
            return value.StartsWith(Spiffe, StringComparison.Ordinal) && value.Length > Spiffe.Length && !value.Any(char.IsControl)
                ? value[Spiffe.Length..]
                : null;
        }

        return null;
    }

    private static string LastElement(string header)
    {
        var elements = Split(header, ',');
        return elements.Count == 0 ? string.Empty : elements[^1];
    }

    /// <summary>Splits on <paramref name="separator"/> outside double quotes (a backslash escapes inside them).</summary>
    private static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : value;
}
