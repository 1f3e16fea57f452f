namespace ExtAuthz.Core.Namespaces.Catalogue;

/// <summary>
/// Where a route's namespace is: a path variable, query parameters (in every spelling the framework reads), a typed
/// reference (<c>resource_reference_key.type=NAMESPACE</c> with its id), a proxied host in a path segment, several of these (all must agree), or none
/// with the reason the backend needs no check from us.
/// </summary>
public sealed class NamespaceLocation
{
    /// <summary>The template variable holding the namespace.</summary>
    public string? PathVariable { get; init; }

    /// <summary>A value names a namespace only when it is a profile namespace; others are left to the backend's own check.</summary>
    public bool IfProfile { get; init; }

    /// <summary>The template variable holding a host <c>&lt;svc&gt;.&lt;ns&gt;.svc…</c> (a proxy target): its second label is the namespace.</summary>
    public string? PathHost { get; init; }

    public IReadOnlyList<string> Query { get; init; } = [];

    public TypedReference? Reference { get; init; }

    /// <summary>Why the route names no namespace (<see cref="NoneReasons"/>), or null when it names one.</summary>
    public string? None { get; init; }

    /// <summary>Free text: what the backend does.</summary>
    public string? Note { get; init; }

    public bool NamesNone => None is not null;

    /// <summary>The reasons a route may name no namespace.</summary>
    public static readonly IReadOnlyList<string> NoneReasons =
    [
        "cluster-wide", // the route reads or lists cluster-wide data, or the caller's own
        "body",         // the namespace is in the body and the backend checks the caller's access to it
        "resolved-id",  // an id the backend resolves to its namespace and checks with its own access review
        "static",       // static files, the single-page app, probes: no data
        "destination",  // only at the workload: its own namespace (the destination principal) is the namespace
    ];
}

/// <summary>A query parameter that names a namespace only when a type parameter says so (Pipelines v1beta1 resource references).</summary>
public sealed record TypedReference(string TypeParameter, string IdParameter, IReadOnlyList<string> Types);
