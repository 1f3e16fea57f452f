namespace ExtAuthz.Core.Namespaces.Catalogue;

/// <summary>One route family of an app: a path template relative to the app's mount, its methods, and where its namespace is.</summary>
public sealed class CatalogueRoute
{
    public required RouteTemplate Template { get; init; }

    /// <summary>Upper-case methods; empty for any. HEAD is implied by GET and OPTIONS by any method, as the frameworks do.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    public required NamespaceLocation Namespace { get; init; }

    /// <summary>Requests the route must describe, used by the catalogue's own tests.</summary>
    public IReadOnlyList<RouteExample> Examples { get; init; } = [];

    public override string ToString() => Template.Text;
}

/// <summary>
/// A request a route describes: its full path as it arrives (at the gateway, or at the workload with
/// <see cref="AtWorkload"/>), and the namespace it must name (null: none).
/// </summary>
public sealed record RouteExample(string Method, string Path, string? Namespace, bool AtWorkload);
