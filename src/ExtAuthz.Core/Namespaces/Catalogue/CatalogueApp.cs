namespace ExtAuthz.Core.Namespaces.Catalogue;

/// <summary>
/// One app of the route catalogue: where the gateway mounts it and what its workload sees after the VirtualService's
/// rewrite, the workload identities that name it at its own sidecar, its framework, and its routes.
/// </summary>
public sealed class CatalogueApp
{
    public required string Name { get; init; }

    /// <summary>The catalogue file it was read from.</summary>
    public required string File { get; init; }

    public required Framework Framework { get; init; }

    /// <summary>The path prefix at the gateway ("/jupyter"; "" for the root), or null when the app has no gateway route.</summary>
    public string? GatewayMount { get; init; }

    /// <summary>The prefix its workload sees after the gateway's rewrite ("" when rewritten to "/"), or null when unknown.</summary>
    public string? WorkloadMount { get; init; }

    /// <summary>Destination principals (<c>cluster.local/ns/kubeflow/sa/x</c>) that identify the app at its sidecar.</summary>
    public IReadOnlyList<string> Principals { get; init; } = [];

    /// <summary>The app runs as a workload of a profile namespace (notebooks, TensorBoards, PVC viewers).</summary>
    public bool ProfileWorkload { get; init; }

    /// <summary>Prefixes below the mount where an unmatched path is <c>unknown_route</c>; default: the whole mount.</summary>
    public IReadOnlyList<string> Closed { get; init; } = ["/"];

    /// <summary>Inference host templates (<c>{name}.{namespace}.{domain}</c>); the default of <c>Policy:InferenceHostTemplates</c>.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>
    /// A marker such as <c>/_proxy/</c>: the app proxies any request whose Referer holds it to the host after it
    /// (<c>&lt;svc&gt;.&lt;ns&gt;.svc…</c>), so that host's namespace is read too.
    /// </summary>
    public string? RefererProxy { get; init; }

    public IReadOnlyList<CatalogueRoute> Routes { get; init; } = [];

    /// <summary>Where the routes were read: <c>repository@release:path</c>.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public override string ToString() => Name;
}
