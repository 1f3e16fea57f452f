using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// A path shape such as <c>/notebook/{ns}/</c> or <c>/api/workgroup/*/{ns}</c>: literal segments, <c>*</c> for any one
/// segment, and one <c>{ns}</c> segment that holds the namespace. Matched segment by segment from the start of the
/// normalised path, so <c>/notebookx/alice</c> is not <c>/notebook/{ns}/</c>.
/// </summary>
public sealed class PathNamespaceRule : INamespaceRule
{
    public const string Placeholder = "{ns}";

    private readonly string[] _segments;
    private readonly int _nsIndex;

    private PathNamespaceRule(string text, string[] segments, int nsIndex)
    {
        Text = text;
        _segments = segments;
        _nsIndex = nsIndex;
    }

    public string Text { get; }

    /// <summary>Parses a shape; null with a message when it is not one (no <c>{ns}</c>, two of them, a query…).</summary>
    public static PathNamespaceRule? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text[0] != '/' || text.Contains('?') || text.Contains('%') || text.Contains("//", StringComparison.Ordinal))
        {
            error = $"'{text}' must be a path such as /myapp/{{ns}}/ (starting with '/', no query, encoding or empty segment)";
            return null;
        }

        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nsIndex = Array.IndexOf(segments, Placeholder);
        if (nsIndex < 0 || Array.LastIndexOf(segments, Placeholder) != nsIndex)
        {
            error = $"'{text}' must contain exactly one {Placeholder} segment";
            return null;
        }

        if (segments.Any(s => s is "." or ".." || s != Placeholder && s.Contains('{')))
        {
            error = $"'{text}' may only hold literal segments, '*' and one {Placeholder}";
            return null;
        }

        return new PathNamespaceRule(text, segments, nsIndex);
    }

    public static PathNamespaceRule Parse(string text) => TryParse(text, out var error) ?? throw new FormatException(error);

    public NamespaceCandidate Match(CheckInput input, in NormalizedPath path) => Match(path.Path);

    public NamespaceCandidate Match(string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return NamespaceCandidate.None;
        }

        var position = 1;
        var nsStart = 0;
        var nsLength = 0;
        for (var i = 0; i < _segments.Length; i++)
        {
            if (position >= path.Length)
            {
                return NamespaceCandidate.None;
            }

            var slash = path.IndexOf('/', position);
            var end = slash < 0 ? path.Length : slash;
            var segment = path.AsSpan(position, end - position);
            if (segment.IsEmpty)
            {
                return NamespaceCandidate.None;
            }

            var expected = _segments[i];
            if (i == _nsIndex)
            {
                nsStart = position;
                nsLength = segment.Length;
            }
            else if (expected != "*" && !segment.SequenceEqual(expected))
            {
                return NamespaceCandidate.None;
            }

            position = end + 1;
        }

        return NamespaceCandidate.Found(path.AsMemory(nsStart, nsLength), Text);
    }

    public override string ToString() => Text;
}
