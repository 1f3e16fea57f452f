using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Step 6: which namespace a request targets, from the route catalogue. The destination picks the routes that apply
/// (<see cref="RouteSelection"/>); the most specific matching route reads the path or the query; an inference host
/// and the destination workload's namespace (when it is a profile) are read beside it; every source that names one
/// must name the same. A path under a known app that no route describes is <c>unknown_route</c>; a path under no app
/// follows <see cref="UnknownRoutes"/>, unless the destination is a profile namespace (then that is the namespace).
/// Reads the normalised path only; never allocates unless a query value had to be percent-decoded.
/// </summary>
public sealed class NamespaceResolver
{
    private const string DestinationRule = "destination.principal";
    private const string UnknownRule = "no catalogue app (Policy:UnknownRoutes=Deny)";
    private const string FormContentType = "application/x-www-form-urlencoded";

    private readonly RouteTable _routes;
    private readonly InferenceHosts? _hosts;
    private readonly UnknownRoutes _unknownRoutes;
    private readonly RefererProxy[] _refererProxies;

    public NamespaceResolver(RouteCatalogue catalogue, InferenceHosts? hosts, UnknownRoutes unknownRoutes)
    {
        Catalogue = catalogue;
        _routes = new RouteTable(catalogue.Apps);
        _hosts = hosts;
        _unknownRoutes = unknownRoutes;
        _refererProxies = [.. catalogue.Apps.Select((a, i) => (a, i)).Where(p => p.a.RefererProxy is not null).Select(p => new RefererProxy(p.a, p.i))];
    }

    public RouteCatalogue Catalogue { get; }

    /// <summary>The shipped catalogue with the given extras; for tests and benchmarks.</summary>
    public static NamespaceResolver Create(
        IReadOnlyList<string> namespaceRules,
        IReadOnlyList<string> kserveDomains,
        UnknownRoutes unknownRoutes = UnknownRoutes.Authenticated,
        IReadOnlyList<string>? catalogueFiles = null,
        IReadOnlyList<string>? hostTemplates = null,
        IReadOnlyList<string>? dashboardHosts = null)
    {
        var catalogue = RouteCatalogue.LoadValidated(catalogueFiles ?? [], namespaceRules);
        var templates = hostTemplates is { Count: > 0 } ? hostTemplates : DefaultHostTemplates(catalogue);
        var hosts = new InferenceHosts(templates.Select(HostTemplate.Parse), kserveDomains, dashboardHosts ?? []);
        return new NamespaceResolver(catalogue, hosts, unknownRoutes);
    }

    /// <summary>The host templates the catalogue's apps declare (KServe's serverless and raw-deployment hosts).</summary>
    public static IReadOnlyList<string> DefaultHostTemplates(RouteCatalogue catalogue) =>
        [.. catalogue.Apps.SelectMany(a => a.Hosts).Distinct(StringComparer.Ordinal)];

    public IEnumerable<string> Describe() =>
        [$"{Catalogue.Apps.Count} apps, {_routes.RouteCount} routes", .. (_hosts is null ? [] : new[] { _hosts.Text }), DestinationRule];

    public NamespaceCandidate Resolve(CheckInput input, in NormalizedPath path, IProfileNamespaces? profiles)
    {
        // Which routes apply: the app a destination names, the apps of a profile namespace, or all.
        var destination = default(ReadOnlyMemory<char>);
        var destinationIsProfile = profiles is not null && SpiffeId.TryGetNamespace(input.DestinationPrincipal, out destination)
            && profiles.IsProfileNamespace(destination.Span);
        var app = destinationIsProfile ? -1 : _routes.AppOf(input.DestinationPrincipal);
        var selection = app >= 0 ? RouteSelection.ForApp(app)
            : destinationIsProfile ? RouteSelection.ProfileNamespace
            : RouteSelection.Gateway;

        var routed = _routes.Resolve(path, input.Method, selection, profiles);
        if (routed.Route is { } route && IsFormFallback(input, route))
        {
            return NamespaceCandidate.UnknownRoute(route.Text + " (form-encoded POST)");
        }

        var result = routed.Outcome switch
        {
            RouteOutcome.UnknownUnderApp => routed.Namespace,
            RouteOutcome.Unknown when _unknownRoutes == UnknownRoutes.Deny && !destinationIsProfile => NamespaceCandidate.UnknownRoute(UnknownRule),
            _ => routed.Namespace,
        };

        if (_hosts is not null)
        {
            result = NamespaceCombiner.Combine(result, _hosts.Match(input.Host, profiles));
        }

        foreach (var proxy in _refererProxies)
        {
            result = NamespaceCombiner.Combine(result, proxy.Read(input, path.Path.Span, app));
        }

        if (destinationIsProfile)
        {
            result = NamespaceCombiner.Combine(result, NamespaceCandidate.Found(destination, DestinationRule, NamespaceSource.Destination));
        }

        return result;
    }

    /// <summary>
    /// grpc-gateway serves a form-encoded POST as the route's GET (with <c>X-HTTP-Method-Override</c>, or when no POST
    /// route matches) and reads the body's parameters as query fields: a namespace we cannot see. Nothing of Kubeflow's
    /// sends one, so no route describes it.
    /// </summary>
    private static bool IsFormFallback(CheckInput input, CompiledRoute route) =>
        route.App.Framework == Framework.GrpcGateway && input.Method == "POST"
        && input.GetHeader(HeaderSlots.ContentType) is { } type
        && type.AsSpan().TrimStart().StartsWith(FormContentType, StringComparison.OrdinalIgnoreCase);
}
