using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// The route catalogue compiled for the hot path: routes indexed by their first segment, matched on spans of the
/// normalised path split once into a stack buffer. The most specific matching route wins (literal over prefixed
/// variable over variable over rest, segment by segment); equally specific routes must agree on the namespace.
/// Allocates nothing unless a query value had to be percent-decoded.
/// </summary>
internal sealed class RouteTable
{
    private const int MaxTies = 8;

    private readonly CompiledRoute[] _all;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _byFirst;
    private readonly int[] _anyFirst;
    private readonly ClosedScope[] _scopes;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _principals;

    public RouteTable(IReadOnlyList<CatalogueApp> apps)
    {
        Apps = apps;
        var routes = new List<CompiledRoute>();
        var scopes = new List<ClosedScope>();
        var principals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var a = 0; a < apps.Count; a++)
        {
            var app = apps[a];
            var sameForms = app.GatewayMount == app.WorkloadMount;
            foreach (var route in app.Routes)
            {
                if (app.GatewayMount is { } gateway)
                {
                    routes.Add(new CompiledRoute(app, a, route, gateway, gateway: true, workload: sameForms));
                }

                if (app.WorkloadMount is { } workload && !sameForms)
                {
                    routes.Add(new CompiledRoute(app, a, route, workload, gateway: false, workload: true));
                }
            }

            foreach (var closed in app.Closed)
            {
                var prefix = RouteTemplate.Parse(closed);
                if (app.GatewayMount is { } gateway)
                {
                    scopes.Add(new ClosedScope(app, a, gateway, prefix, atGateway: true));
                }

                if (app.WorkloadMount is { } workload)
                {
                    scopes.Add(new ClosedScope(app, a, workload, prefix, atGateway: false));
                }
            }

            foreach (var principal in app.Principals)
            {
                principals.TryAdd(SpiffeId.WorkloadPart(principal).ToString(), a);
            }
        }

        foreach (var route in routes)
        {
            route.ShadowBy(scopes.Where(s => s.AppIndex == route.AppIndex && (route.AtGateway ? s.AtGateway : !s.AtGateway)));
        }

        _all = [.. routes];
        _scopes = [.. scopes];
        var byFirst = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var anyFirst = new List<int>();
        for (var i = 0; i < _all.Length; i++)
        {
            if (_all[i].FirstLiteral is { } first)
            {
                (byFirst.TryGetValue(first, out var list) ? list : byFirst[first] = []).Add(i);
            }
            else
            {
                anyFirst.Add(i);
            }
        }

        _byFirst = byFirst.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _anyFirst = [.. anyFirst];
        _principals = principals.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<CatalogueApp> Apps { get; }

    public int RouteCount => _all.Length;

    /// <summary>The app a destination principal identifies at its own sidecar, or -1.</summary>
    public int AppOf(string destinationPrincipal) =>
        destinationPrincipal.Length > 0 && _principals.TryGetValue(SpiffeId.WorkloadPart(destinationPrincipal), out var app) ? app : -1;

    /// <summary>Matches a request against the routes <paramref name="selection"/> allows and reads the winner's namespace.</summary>
    public RouteResult Resolve(in NormalizedPath path, string method, RouteSelection selection, IProfileNamespaces? profiles)
    {
        Span<Range> buffer = stackalloc Range[PathSegments.MaxSegments];
        var segments = new PathSegments(path.Path.Span, buffer);
        Span<int> ties = stackalloc int[MaxTies];
        var tieCount = 0;
        CompiledRoute? best = null;

        if (segments.Count > 0 && _byFirst.TryGetValue(segments[0], out var bucket))
        {
            Consider(bucket, segments, method, selection, ties, ref tieCount, ref best);
        }

        Consider(_anyFirst, segments, method, selection, ties, ref tieCount, ref best);
        if (best is null)
        {
            return Unmatched(segments, selection);
        }

        if (tieCount > ties.Length)
        {
            // More equally specific routes than are compared: their namespaces could disagree unseen, so none is read.
            return new RouteResult(RouteOutcome.UnknownUnderApp, NamespaceCandidate.UnknownRoute(Apps[best.AppIndex].Name), null);
        }

        var result = best.Read(path.Path, segments, path.Query, profiles);
        for (var i = 1; i < tieCount && result.Outcome is NamespaceOutcome.None or NamespaceOutcome.Found; i++)
        {
            var other = _all[ties[i]].Read(path.Path, segments, path.Query, profiles);
            result = NamespaceCombiner.Combine(result, other);
        }

        return new RouteResult(RouteOutcome.Matched, result, best);
    }

    private void Consider(int[] candidates, in PathSegments segments, string method, RouteSelection selection, Span<int> ties, ref int tieCount, ref CompiledRoute? best)
    {
        foreach (var id in candidates)
        {
            var route = _all[id];
            if (!selection.Allows(route) || !route.Matches(segments, method))
            {
                continue;
            }

            var order = best is null ? 1 : route.CompareSpecificity(best);
            if (order > 0)
            {
                best = route;
                ties[0] = id;
                tieCount = 1;
            }
            else if (order == 0)
            {
                // One tie more than is kept is counted, never dropped: Resolve refuses what it cannot compare.
                if (tieCount < ties.Length)
                {
                    ties[tieCount] = id;
                }

                tieCount = Math.Min(tieCount + 1, ties.Length + 1);
            }
        }
    }

    private RouteResult Unmatched(in PathSegments segments, RouteSelection selection)
    {
        if (selection.App >= 0)
        {
            // The destination is the app itself: whatever it was sent, the catalogue does not describe it.
            return new RouteResult(RouteOutcome.UnknownUnderApp, NamespaceCandidate.UnknownRoute(Apps[selection.App].Name), null);
        }

        foreach (var scope in _scopes)
        {
            if (selection.Closes(scope) && scope.Contains(segments))
            {
                return new RouteResult(RouteOutcome.UnknownUnderApp, NamespaceCandidate.UnknownRoute(scope.Text), null);
            }
        }

        return new RouteResult(RouteOutcome.Unknown, NamespaceCandidate.None, null);
    }
}

/// <summary>How a path met the catalogue.</summary>
internal enum RouteOutcome
{
    Matched,

    /// <summary>Under a known app (or sent to it), but none of its routes: <c>unknown_route</c>.</summary>
    UnknownUnderApp,

    /// <summary>Under no known app: <c>Policy:UnknownRoutes</c> decides.</summary>
    Unknown,
}

internal readonly record struct RouteResult(RouteOutcome Outcome, NamespaceCandidate Namespace, CompiledRoute? Route);
