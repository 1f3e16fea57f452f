namespace ExtAuthz.Core.Login;

/// <summary>
/// The query parameters of a login path, decoded ('+' as a space). A parameter given twice counts as absent and
/// marks the query <see cref="Repeated"/>: which copy a provider or a browser meant is not ours to guess.
/// </summary>
internal sealed class LoginQuery
{
    private const int MaxParameters = 32;

    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private LoginQuery()
    {
    }

    public bool Repeated { get; private set; }

    public static LoginQuery Parse(string target)
    {
        var query = new LoginQuery();
        var mark = target.IndexOf('?');
        if (mark < 0)
        {
            return query;
        }

        var pairs = target[(mark + 1)..].Split('&', MaxParameters + 1);
        foreach (var pair in pairs.Take(MaxParameters))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = Decode(eq < 0 ? string.Empty : pair[(eq + 1)..]);
            if (name is null)
            {
                continue;
            }

            if (query._values.ContainsKey(name))
            {
                query._values[name] = null;
                query.Repeated = true;
            }
            else
            {
                query._values[name] = value;
            }
        }

        return query;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public bool Has(string name) => _values.ContainsKey(name);

    private static string? Decode(string raw)
    {
        try
        {
            return Uri.UnescapeDataString(raw.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
