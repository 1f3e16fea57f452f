using ExtAuthz.Core.Namespaces.Catalogue;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// One catalogue route in one form (at the gateway, or as its workload sees it after the rewrite): the mount's
/// literal segments (matched exactly, as Istio's prefix match does) followed by the route's own segments (matched
/// by the app's framework rules), and how to read its namespace.
/// </summary>
internal sealed class CompiledRoute
{
    private readonly TemplateSegment[] _segments;
    private readonly int _mountCount;
    private readonly bool _ignoreCase;
    private readonly bool _endsWithRest;
    private readonly int _namespaceIndex;
    private readonly int _hostIndex;
    private readonly string[] _methods;
    private readonly QueryReader? _query;
    private ClosedScope[] _shadowing = [];

    public CompiledRoute(CatalogueApp app, int appIndex, CatalogueRoute route, string mount, bool gateway, bool workload)
    {
        App = app;
        AppIndex = appIndex;
        Route = route;
        AtGateway = gateway;
        AtWorkload = workload;
        var mountSegments = mount.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => new TemplateSegment(SegmentKind.Literal, s, null));
        _segments = [.. mountSegments, .. route.Template.Segments];
        _mountCount = _segments.Length - route.Template.Segments.Count;
        _ignoreCase = app.Framework.IgnoresCase();
        _endsWithRest = _segments.Length > 0 && _segments[^1].Kind == SegmentKind.Rest;
        _namespaceIndex = route.Namespace.PathVariable is { } variable ? _mountCount + route.Template.IndexOf(variable) : -1;
        _hostIndex = route.Namespace.PathHost is { } host ? _mountCount + route.Template.IndexOf(host) : -1;
        _methods = [.. route.Methods];
        Text = $"{app.Name} {mount}{route.Template.Text}";
        _query = route.Namespace.Query.Count > 0 || route.Namespace.Reference is not null ? new QueryReader(app.Framework, route.Namespace, Text) : null;
        Ranks = [.. _segments.Select(s => (s.Rank * 2) + 2)];
        FirstLiteral = _segments.Length > 0 && _segments[0].Kind == SegmentKind.Literal ? _segments[0].Text : null;
    }

    public CatalogueApp App { get; }

    public int AppIndex { get; }

    public CatalogueRoute Route { get; }

    public bool AtGateway { get; }

    public bool AtWorkload { get; }

    /// <summary>The app and the full template, for details and <c>/readyz</c>: catalogue text, never a request value.</summary>
    public string Text { get; }

    /// <summary>The first segment when it is a literal: the key of the table's first-segment index.</summary>
    public string? FirstLiteral { get; }

    /// <summary>Per segment: literal 8, prefixed variable 6, variable 4, rest 2; a template that ended counts 3.</summary>
    private int[] Ranks { get; }

    /// <summary>The number of segments before a trailing <c>**</c> (mount included).</summary>
    public int FixedLength => _endsWithRest ? _segments.Length - 1 : _segments.Length;

    /// <summary>
    /// Closed scopes of the same app that reach deeper than this route's fixed part: a catch-all (<c>/**</c>, the
    /// single-page app) never answers inside them, so a new API route there surfaces as <c>unknown_route</c>.
    /// </summary>
    public void ShadowBy(IEnumerable<ClosedScope> scopes) => _shadowing = [.. scopes.Where(s => s.Length > FixedLength)];

    public bool Matches(in PathSegments path, string method)
    {
        var count = _endsWithRest ? _segments.Length - 1 : _segments.Length;
        if (path.Count < count || !_endsWithRest && (path.Count != count || path.Overflow))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!_segments[i].Matches(path[i], _ignoreCase && i >= _mountCount))
            {
                return false;
            }
        }

        foreach (var scope in _shadowing)
        {
            if (scope.Contains(path))
            {
                return false;
            }
        }

        return AllowsMethod(method);
    }

    /// <summary>The namespace the route reads from a request it matched.</summary>
    public NamespaceCandidate Read(ReadOnlyMemory<char> path, in PathSegments segments, ReadOnlyMemory<char> query, IProfileNamespaces? profiles)
    {
        var result = NamespaceCandidate.None;
        if (_namespaceIndex >= 0)
        {
            var value = path[segments.RangeOf(_namespaceIndex)];
            if (Route.Namespace.IfProfile && !IsProfile(value.Span, profiles))
            {
                return NamespaceCandidate.None;
            }

            result = NamespaceCandidate.Found(value, Text, NamespaceSource.Path);
            if (result.Outcome != NamespaceOutcome.Found)
            {
                return result;
            }
        }

        if (_hostIndex >= 0)
        {
            result = NamespaceCombiner.Combine(result, ReadHost(path[segments.RangeOf(_hostIndex)]));
        }

        if (_query is null || result.Outcome is not (NamespaceOutcome.None or NamespaceOutcome.Found))
        {
            return result;
        }

        var fromQuery = _query.Read(query, Route.Namespace.IfProfile ? profiles ?? NoProfiles.Instance : null);
        if (fromQuery.Outcome == NamespaceOutcome.None || result.Outcome == NamespaceOutcome.None)
        {
            return fromQuery.Outcome == NamespaceOutcome.None ? result : fromQuery;
        }

        return fromQuery.Outcome != NamespaceOutcome.Found ? fromQuery
            : result.Value.Span.SequenceEqual(fromQuery.Value.Span) ? result
            : NamespaceCandidate.Conflict(result, fromQuery, Text);
    }

    private static bool IsProfile(ReadOnlySpan<char> value, IProfileNamespaces? profiles) =>
        profiles is not null && profiles.IsProfileNamespace(value);

    /// <summary>The second DNS label of a host in a path segment (<c>svc.alice.svc.cluster.local:80</c>); anything else is no namespace.</summary>
    private NamespaceCandidate ReadHost(ReadOnlyMemory<char> segment)
    {
        var span = segment.Span;
        var first = span.IndexOf('.');
        var second = first < 0 ? -1 : span[(first + 1)..].IndexOfAny('.', ':');
        return first > 0 && second > 0
            ? NamespaceCandidate.Found(segment.Slice(first + 1, second), Text, NamespaceSource.Path)
            : NamespaceCandidate.Invalid(segment, Text, NamespaceSource.Path);
    }

    /// <summary>Positive when this route is more specific than <paramref name="other"/>; 0 when equally specific.</summary>
    public int CompareSpecificity(CompiledRoute other)
    {
        var length = Math.Max(Ranks.Length, other.Ranks.Length);
        for (var i = 0; i < length; i++)
        {
            var mine = i < Ranks.Length ? Ranks[i] : 3;
            var theirs = i < other.Ranks.Length ? other.Ranks[i] : 3;
            if (mine != theirs)
            {
                return mine - theirs;
            }
        }

        return 0;
    }

    private bool AllowsMethod(string method)
    {
        if (_methods.Length == 0 || method == "OPTIONS")
        {
            return true;
        }

        foreach (var allowed in _methods)
        {
            if (allowed == method || method == "HEAD" && allowed == "GET")
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Text;
}
