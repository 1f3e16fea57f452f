namespace ExtAuthz.Core.Login;

/// <summary>
/// Removes our cookies from the <c>cookie</c> header sent upstream: a notebook server is code its owner controls, and a
/// contributor's session must not reach it. Parsed tolerantly, as the request reader does (pairs split on ';' and on
/// ',', which Envoy uses to join repeated headers); the other cookies are kept in their order, joined with "; ".
/// </summary>
internal sealed class UpstreamCookies
{
    private readonly string[] _ours;

    public UpstreamCookies(params string[] ours) => _ours = ours;

    /// <summary>True when the header may carry one of our cookies (a cheap test before any parsing).</summary>
    public bool MayContainOurs(string header)
    {
        foreach (var name in _ours)
        {
            if (header.Contains(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The header without our cookies; empty when nothing else is left (the header is then removed). A piece between
    /// ';' is split on ',' only when it holds one of ours, so another cookie's value with a comma stays whole.
    /// </summary>
    public string Filter(string header)
    {
        var kept = new List<string>();
        foreach (var piece in header.Split(';'))
        {
            if (!MayContainOurs(piece))
            {
                AddTrimmed(kept, piece);
                continue;
            }

            var rest = new List<string>();
            foreach (var pair in piece.Split(','))
            {
                if (!IsOurs(pair))
                {
                    AddTrimmed(rest, pair);
                }
            }

            if (rest.Count > 0)
            {
                kept.Add(string.Join(",", rest));
            }
        }

        return string.Join("; ", kept);
    }

    private bool IsOurs(string pair)
    {
        var eq = pair.IndexOf('=');
        var name = (eq < 0 ? pair : pair[..eq]).Trim();
        return Array.IndexOf(_ours, name) >= 0;
    }

    private static void AddTrimmed(List<string> list, string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length > 0)
        {
            list.Add(trimmed);
        }
    }
}
