using ExtAuthz.Core.Namespaces.Catalogue;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// A prefix under which an app fails closed: a path there that matches none of the app's routes is
/// <c>unknown_route</c>. The mount is matched exactly, the rest by the app's framework rules, on segment boundaries.
/// </summary>
internal sealed class ClosedScope
{
    private readonly TemplateSegment[] _segments;
    private readonly int _mountCount;
    private readonly bool _ignoreCase;

    public ClosedScope(CatalogueApp app, int appIndex, string mount, RouteTemplate prefix, bool atGateway)
    {
        App = app;
        AppIndex = appIndex;
        AtGateway = atGateway;
        var mountSegments = mount.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => new TemplateSegment(SegmentKind.Literal, s, null));
        _segments = [.. mountSegments, .. prefix.Segments.Where(s => s.Kind != SegmentKind.Rest)];
        _mountCount = _segments.Length - prefix.Segments.Count(s => s.Kind != SegmentKind.Rest);
        _ignoreCase = app.Framework.IgnoresCase();
        Text = $"{app.Name} {mount}{prefix.Text}";
    }

    public CatalogueApp App { get; }

    public int AppIndex { get; }

    public bool AtGateway { get; }

    public string Text { get; }

    /// <summary>Segments the scope spans, mount included.</summary>
    public int Length => _segments.Length;

    public bool Contains(in PathSegments path)
    {
        if (path.Count < _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (!_segments[i].Matches(path[i], _ignoreCase && i >= _mountCount))
            {
                return false;
            }
        }

        return true;
    }
}
