using System.Text.Json.Nodes;

namespace ExtAuthz.Controller.Plugins;

/// <summary>
/// One kind of <c>spec.plugins</c> entry: identity outside Kubernetes for the namespace's <c>default-editor</c>.
/// Parsing is separate from the cloud calls so a malformed spec is a status condition before anything is called.
/// </summary>
internal interface IProfilePlugin
{
    /// <summary>The entry's <c>kind</c>, e.g. <c>WorkloadIdentity</c>.</summary>
    string Kind { get; }

    /// <summary>Reads the entry's <c>spec</c>; a null result carries the problem in <paramref name="error"/>.</summary>
    IPluginInstance? Parse(JsonNode? spec, out string? error);
}

/// <summary>A parsed plugin entry for one Profile.</summary>
internal interface IPluginInstance
{
    string Kind { get; }

    /// <summary>Annotations the <c>default-editor</c> ServiceAccount must carry (applied with the rest of the workspace).</summary>
    IReadOnlyDictionary<string, string> EditorAnnotations { get; }

    /// <summary>Grants the namespace's <c>default-editor</c> the cloud identity; idempotent.</summary>
    Task<PluginOutcome> ApplyAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Takes back exactly what <see cref="ApplyAsync"/> granted; idempotent.</summary>
    Task<PluginOutcome> RevokeAsync(string ns, CancellationToken cancellationToken);
}

/// <summary>How a cloud call went; a failure carries the cloud's own message.</summary>
internal sealed record PluginOutcome(bool Succeeded, string? Message)
{
    public static readonly PluginOutcome Ok = new(true, null);

    public static PluginOutcome Failed(string message) => new(false, message);
}
