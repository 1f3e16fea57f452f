namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// An inference host template such as <c>{name}.{namespace}.{domain}</c> (Knative's default domain template, KServe
/// serverless) or <c>{name}-{namespace}.{domain}</c> (KServe raw deployments). <c>{name}</c> stands for one or more
/// DNS-label characters without a dot, <c>{namespace}</c> for a DNS label; everything else is literal.
/// </summary>
public sealed class HostTemplate
{
    private const string Domain = ".{domain}";
    private readonly string[] _tokens;

    private HostTemplate(string text, string[] tokens)
    {
        Text = text;
        _tokens = tokens;
    }

    public string Text { get; }

    public static HostTemplate? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || !text.EndsWith(Domain, StringComparison.Ordinal))
        {
            error = $"'{text}' must end with .{{domain}}, e.g. {{name}}.{{namespace}}.{{domain}}";
            return null;
        }

        var body = text[..^Domain.Length];
        var tokens = new List<string>();
        var position = 0;
        while (position < body.Length)
        {
            var open = body.IndexOf('{', position);
            if (open < 0)
            {
                tokens.Add(body[position..]);
                break;
            }

            if (open > position)
            {
                tokens.Add(body[position..open]);
            }

            var close = body.IndexOf('}', open);
            var token = close < 0 ? string.Empty : body[open..(close + 1)];
            if (token is not ("{name}" or "{namespace}") || tokens.Count > 0 && tokens[^1][0] == '{')
            {
                error = $"'{text}' may hold only {{name}} and {{namespace}}, separated by literal text";
                return null;
            }

            tokens.Add(token);
            position = close + 1;
        }

        if (tokens.Count(t => t == "{namespace}") != 1 || tokens.Count(t => t == "{name}") > 1
            || tokens.Any(t => t[0] != '{' && !t.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
        {
            error = $"'{text}' must hold {{namespace}} once, {{name}} at most once, and literal DNS characters";
            return null;
        }

        return new HostTemplate(text, [.. tokens]);
    }

    public static HostTemplate Parse(string text) => TryParse(text, out var error) ?? throw new FormatException(error);

    /// <summary>
    /// Every way <paramref name="labels"/> (the host before its domain) fits the template: the namespace ranges, and
    /// their count; <c>found.Length + 1</c> when there are more ways than room, so no fit is ever silently left unread.
    /// </summary>
    public int Match(ReadOnlySpan<char> labels, Span<Range> found) => Match(labels, 0, 0, default, found, 0);

    private int Match(ReadOnlySpan<char> host, int position, int token, Range ns, Span<Range> found, int count)
    {
        if (token == _tokens.Length)
        {
            if (position != host.Length)
            {
                return count;
            }

            if (count == found.Length)
            {
                // One fit more than there is room for: the caller refuses the host rather than read only some fits.
                return found.Length + 1;
            }

            found[count] = ns;
            return count + 1;
        }

        var expected = _tokens[token];
        if (expected[0] != '{')
        {
            return host[position..].StartsWith(expected, StringComparison.Ordinal)
                ? Match(host, position + expected.Length, token + 1, ns, found, count)
                : count;
        }

        // A placeholder: every non-empty run of label characters (no dot) from here.
        for (var end = position + 1; end <= host.Length; end++)
        {
            var c = host[end - 1];
            if (c == '.')
            {
                break;
            }

            var range = expected == "{namespace}" ? new Range(position, end) : ns;
            count = Match(host, end, token + 1, range, found, count);
            if (count > found.Length)
            {
                return count;
            }
        }

        return count;
    }

    public override string ToString() => Text;
}
