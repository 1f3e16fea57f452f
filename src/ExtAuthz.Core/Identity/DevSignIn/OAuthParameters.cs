namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>Request parameters by name; OAuth forbids sending one twice (RFC 6749 §3.1), so a repeat is an error.</summary>
internal static class OAuthParameters
{
    public const int MaxValueLength = 2048;

    public static Dictionary<string, string>? Single(IEnumerable<KeyValuePair<string, string>> parameters, out string? error)
    {
        error = null;
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (!byName.TryAdd(name, value))
            {
                error = $"the parameter '{name}' is repeated";
                return null;
            }

            if (value.Length > MaxValueLength || value.Any(char.IsControl))
            {
                error = $"the parameter '{name}' is too long or holds control characters";
                return null;
            }
        }

        return byName;
    }

    public static string? Get(this Dictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
