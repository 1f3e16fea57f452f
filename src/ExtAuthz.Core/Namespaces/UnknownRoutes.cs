namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// What a path under no app of the route catalogue gets (<c>Policy:UnknownRoutes</c>): <see cref="Authenticated"/>,
/// Kubeflow's own gateway behaviour, or <see cref="Deny"/> (<c>unknown_route</c>). A path under a known app that
/// matches none of its routes is always denied.
/// </summary>
public enum UnknownRoutes
{
    Authenticated = 0,
    Deny,
}
