using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>The controller's writes to the API server. Failures throw <see cref="ApiException"/> with the HTTP status.</summary>
internal interface IClusterWriter
{
    /// <summary>Server-side apply of a partial body with the one field manager, forced; returns the object as stored.</summary>
    Task<JsonObject> ApplyAsync(ManagedKind kind, JsonObject body, CancellationToken cancellationToken);

    /// <summary>A JSON merge patch (for removals apply cannot express, e.g. a label we do not own).</summary>
    Task<JsonObject> MergePatchAsync(ManagedKind kind, string? ns, string name, JsonObject patch, CancellationToken cancellationToken);

    /// <summary>Deletes; an object already gone is not an error.</summary>
    Task DeleteAsync(ManagedKind kind, string? ns, string name, CancellationToken cancellationToken);

    /// <summary>A merge patch of the Profile's main resource; carry <c>metadata.resourceVersion</c> for a 409 on a stale read.</summary>
    Task<JsonObject> PatchProfileAsync(string name, JsonObject patch, CancellationToken cancellationToken);

    /// <summary>Server-side apply of <c>status</c> through the status subresource; returns the Profile as stored.</summary>
    Task<JsonObject> ApplyProfileStatusAsync(string name, JsonObject status, CancellationToken cancellationToken);

    /// <summary>A Kubernetes Event about the Profile (in namespace default, as for any cluster-scoped object).</summary>
    Task RecordEventAsync(ProfileView profile, string type, string reason, string message, CancellationToken cancellationToken);
}

/// <summary>The API server refused a request.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int status, string message, Exception? inner = null)
        : base(message, inner) => Status = status;

    public int Status { get; }

    /// <summary>4xx other than 404, 409 and 429: the request itself is wrong, a retry cannot fix it.</summary>
    public bool IsInvalid => Status is >= 400 and < 500 and not 404 and not 409 and not 429;
}
