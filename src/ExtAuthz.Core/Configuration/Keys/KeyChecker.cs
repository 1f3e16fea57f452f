namespace ExtAuthz.Core.Configuration.Keys;

/// <summary>
/// Checks configuration keys and their values against the tree of known keys (<see cref="KeyTree"/>): an unknown key
/// or section is named with the key it was likely meant to be; a value that does not read is named with the form
/// expected; a value given where a list or a section belongs says how to write it. The framework's own binder text is
/// never shown.
/// </summary>
internal sealed class KeyChecker
{
    private readonly KeyNode _root;

    public KeyChecker(KeyNode root) => _root = root;

    /// <param name="key">The full key, sections separated by ':'.</param>
    /// <param name="value">Its value; null when it only holds other keys.</param>
    public KeyProblem? Check(string key, string? value)
    {
        var segments = key.Split(':');
        var node = _root;
        for (var i = 0; i < segments.Length; i++)
        {
            switch (node.Kind)
            {
                case KeyNodeKind.Open:
                    return null;
                case KeyNodeKind.Value:
                    return Problem($"{key}: {Join(segments, i)} is a single value, not a section");
                case KeyNodeKind.List when !IsIndex(segments[i]):
                    return Problem($"{key}: the items of {Join(segments, i)} are numbered 0, 1, 2, …, not '{segments[i]}'");
                case KeyNodeKind.List or KeyNodeKind.Map:
                    node = node.Item!;
                    break;
                default:
                    if (!node.Children.TryGetValue(segments[i], out var child))
                    {
                        return node.OpenBeside && Suggestion.Closest(segments[i], node.Children.Keys) is null ? null : Unknown(key, segments, i, node);
                    }

                    node = child;
                    break;
            }
        }

        return value is null || (value.Length == 0 && node.Kind != KeyNodeKind.Value) ? null : CheckValue(key, node, value);
    }

    private static KeyProblem? CheckValue(string key, KeyNode node, string value) => node.Kind switch
    {
        KeyNodeKind.Value => ValueForms.Check(node.ValueType!, value) is { } wrong ? Problem($"{key}: {wrong}") : null,
        KeyNodeKind.List => Problem($"{key}: is a list; give its items as {key}:0, {key}:1, …"),
        KeyNodeKind.Map => Problem($"{key}: takes named entries, {key}:<name>=value"),
        KeyNodeKind.Section => Problem($"{key}: is a section, not a value; its keys are {Names(node)}"),
        _ => null,
    };

    private KeyProblem Unknown(string key, string[] segments, int at, KeyNode parent)
    {
        var where = at == 0 ? "section" : "key";
        var meant = Corrected(segments) ?? (at == segments.Length - 1 ? Elsewhere(_root, string.Empty, segments[at]).FirstOrDefault() : null);
        if (meant is not null)
        {
            return new KeyProblem($"{key}: unknown {where} '{segments[at]}'; did you mean {meant}?", at == 0, true);
        }

        var known = at == 0 ? $"the sections are {Names(parent)}" : $"{Join(segments, at)} has {Names(parent)}";
        return new KeyProblem($"{key}: unknown {where} '{segments[at]}'; {known}", at == 0, false);
    }

    /// <summary>The key with every misspelt name replaced by the closest known one, or null when some name is nowhere near.</summary>
    private string? Corrected(string[] segments)
    {
        var corrected = new string[segments.Length];
        var node = _root;
        for (var i = 0; i < segments.Length; i++)
        {
            if (node.Kind == KeyNodeKind.Open)
            {
                Array.Copy(segments, i, corrected, i, segments.Length - i);
                break;
            }

            if (node.Kind is KeyNodeKind.List or KeyNodeKind.Map)
            {
                corrected[i] = segments[i];
                node = node.Item!;
                continue;
            }

            var known = node.Children.Where(c => c.Value.Kind != KeyNodeKind.Open).Select(c => c.Key);
            if (node.Kind != KeyNodeKind.Section || Suggestion.Closest(segments[i], known) is not { } near)
            {
                return null;
            }

            corrected[i] = near;
            node = node.Children[near];
        }

        return string.Join(':', corrected);
    }

    /// <summary>Known keys ending in <paramref name="name"/>, list items written N and map entries &lt;name&gt;.</summary>
    private static IEnumerable<string> Elsewhere(KeyNode node, string path, string name)
    {
        var prefix = path.Length == 0 ? string.Empty : path + ":";
        switch (node.Kind)
        {
            case KeyNodeKind.List:
                return Elsewhere(node.Item!, prefix + "N", name);
            case KeyNodeKind.Map:
                return Elsewhere(node.Item!, prefix + "<name>", name);
            case KeyNodeKind.Section:
                return node.Children.SelectMany(child => child.Key.Equals(name, StringComparison.OrdinalIgnoreCase) && child.Value.Kind != KeyNodeKind.Open
                    ? [prefix + child.Key]
                    : Elsewhere(child.Value, prefix + child.Key, name));
            default:
                return [];
        }
    }

    private static string Names(KeyNode section) =>
        string.Join(", ", section.Children.Where(c => c.Value.Kind != KeyNodeKind.Open).Select(c => c.Key));

    private static string Join(string[] segments, int count) => string.Join(':', segments.Take(count));

    private static bool IsIndex(string segment) =>
        segment.Length is > 0 and <= 9 && segment.All(char.IsAsciiDigit) && (segment.Length == 1 || segment[0] != '0');

    private static KeyProblem Problem(string message) => new(message, false, false);
}
