namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// A route's path as the catalogue writes it, e.g. <c>/api/namespaces/{ns}/notebooks/{name}</c> or
/// <c>/notebook/{ns}/{name}/**</c>. Matched segment by segment against the normalised path; one trailing '/' is
/// ignored on both sides.
/// </summary>
public sealed class RouteTemplate
{
    private RouteTemplate(string text, TemplateSegment[] segments)
    {
        Text = text;
        Segments = segments;
    }

    public string Text { get; }

    public IReadOnlyList<TemplateSegment> Segments { get; }

    /// <summary>Parses a template; null with a message when it is not one.</summary>
    public static RouteTemplate? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text) || text[0] != '/' || text.IndexOfAny(['?', '#', '%', '\\', ' ']) >= 0)
        {
            error = $"'{text}' is not a path template (it starts with '/', and has no query, encoding or spaces)";
            return null;
        }

        var body = text.Length > 1 && text[^1] == '/' ? text[1..^1] : text[1..];
        var parts = body.Length == 0 ? [] : body.Split('/');
        var segments = new TemplateSegment[parts.Length];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            var segment = ParseSegment(parts[i], i == parts.Length - 1, out error);
            if (segment is null)
            {
                error = $"'{text}': {error}";
                return null;
            }

            if (segment.Value.Name is { } name && !names.Add(name))
            {
                error = $"'{text}': the variable {{{name}}} appears twice";
                return null;
            }

            segments[i] = segment.Value;
        }

        return new RouteTemplate(text, segments);
    }

    public static RouteTemplate Parse(string text) => TryParse(text, out var error) ?? throw new FormatException(error);

    /// <summary>The index of the variable <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Segments.Count; i++)
        {
            if (Segments[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString() => Text;

    private static TemplateSegment? ParseSegment(string part, bool last, out string? error)
    {
        error = null;
        if (part.Length == 0 || part is "." or "..")
        {
            error = "empty and dot segments are not allowed";
            return null;
        }

        if (part == "**")
        {
            if (!last)
            {
                error = "'**' (the rest of the path) must be the last segment";
                return null;
            }

            return new TemplateSegment(SegmentKind.Rest, string.Empty, null);
        }

        if (part == "*")
        {
            return new TemplateSegment(SegmentKind.Variable, string.Empty, null);
        }

        if (part[0] == '{')
        {
            if (part[^1] != '}')
            {
                error = $"'{part}' is not a variable such as {{ns}} or {{id:viewer-*}}";
                return null;
            }

            var inner = part[1..^1];
            var colon = inner.IndexOf(':');
            var name = colon < 0 ? inner : inner[..colon];
            var prefix = colon < 0 ? string.Empty : inner[(colon + 1)..];
            if (name.Length == 0 || !name.All(char.IsAsciiLetterLower))
            {
                error = $"'{part}': a variable's name is lower-case letters";
                return null;
            }

            if (colon >= 0 && (prefix.Length < 2 || prefix[^1] != '*' || !IsLiteral(prefix[..^1])))
            {
                error = $"'{part}': a variable's pattern is a literal prefix and '*', e.g. {{id:viewer-*}}";
                return null;
            }

            return new TemplateSegment(SegmentKind.Variable, colon < 0 ? string.Empty : prefix[..^1], name);
        }

        if (!IsLiteral(part))
        {
            error = $"'{part}' mixes a literal with '*', '{{' or '}}'";
            return null;
        }

        return new TemplateSegment(SegmentKind.Literal, part, null);
    }

    private static bool IsLiteral(string text) => text.Length > 0 && text.IndexOfAny(['*', '{', '}']) < 0;
}
