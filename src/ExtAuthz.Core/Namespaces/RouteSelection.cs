namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Which routes apply to a request, from its destination: at a Kubeflow app's own sidecar only that app's routes
/// as its workload sees them; at a workload of a profile namespace only the apps that run there; otherwise (the
/// gateway, or a sidecar the catalogue does not know) every gateway route, and the workload forms that read a namespace
/// (a post-rewrite path that names one is read wherever it arrives), with only the gateway forms failing closed.
/// </summary>
internal readonly record struct RouteSelection(int App, bool ProfileWorkload)
{
    public static RouteSelection Gateway => new(-1, false);

    public static RouteSelection ProfileNamespace => new(-1, true);

    public static RouteSelection ForApp(int app) => new(app, false);

    public bool Allows(CompiledRoute route) =>
        App >= 0 ? route.AppIndex == App && route.AtWorkload
        : ProfileWorkload ? route.AtWorkload && route.App.ProfileWorkload
        : route.AtGateway || !route.Route.Namespace.NamesNone;

    /// <summary>Whether an unmatched path inside <paramref name="scope"/> is <c>unknown_route</c> for this request.</summary>
    public bool Closes(ClosedScope scope) =>
        ProfileWorkload ? !scope.AtGateway && scope.App.ProfileWorkload && scope.App.WorkloadMount is { Length: > 0 }
        : scope.AtGateway;
}
