using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>The parts of a Profile (kubeflow.org/v1 or v1beta1: the same schema) a reconcile reads.</summary>
internal sealed record ProfileView
{
    public const string Finalizer = "profile-finalizer";

    public required string Name { get; init; }

    public required string Uid { get; init; }

    public long Generation { get; init; }

    public string? ResourceVersion { get; init; }

    /// <summary><c>spec.owner</c> as written (an rbac/v1 Subject), or null when missing.</summary>
    public JsonObject? Owner { get; init; }

    public string? OwnerName => Meta.Str(Owner?["name"]);

    public string? OwnerKind => Meta.Str(Owner?["kind"]);

    /// <summary><c>spec.resourceQuotaSpec</c> when it has a non-empty <c>hard</c>; otherwise no quota is wanted.</summary>
    public JsonObject? Quota { get; init; }

    public IReadOnlyList<JsonObject> Plugins { get; init; } = [];

    /// <summary>An entry of <c>spec.plugins</c> that is not an object (unparseable spec).</summary>
    public string? PluginsError { get; init; }

    public bool Deleting { get; init; }

    public bool HasFinalizer { get; init; }

    public IReadOnlyList<string> Finalizers { get; init; } = [];

    public JsonObject? Status { get; init; }

    public JsonObject Raw { get; init; } = [];

    public string? Annotation(string key) => Meta.Annotation(Raw, key);

    public static ProfileView Read(JsonObject profile)
    {
        var spec = profile["spec"] as JsonObject;
        var quota = spec?["resourceQuotaSpec"] as JsonObject;
        var hasHard = quota?["hard"] is JsonObject hard && hard.Count > 0;
        var plugins = new List<JsonObject>();
        string? pluginsError = null;
        if (spec?["plugins"] is JsonArray list)
        {
            foreach (var entry in list)
            {
                if (entry is JsonObject plugin)
                {
                    plugins.Add(plugin);
                }
                else
                {
                    pluginsError = $"spec.plugins has an entry that is not an object: {entry?.ToJsonString() ?? "null"}";
                }
            }
        }
        else if (spec?["plugins"] is { } other && other.GetValueKind() != JsonValueKind.Null)
        {
            pluginsError = "spec.plugins is not a list";
        }

        var finalizers = Meta.Finalizers(profile);
        return new ProfileView
        {
            Name = Meta.Name(profile),
            Uid = Meta.Uid(profile) ?? "",
            Generation = profile["metadata"]?["generation"] is JsonValue g && g.TryGetValue<long>(out var generation) ? generation : 0,
            ResourceVersion = Meta.ResourceVersion(profile),
            Owner = spec?["owner"] as JsonObject,
            Quota = hasHard ? quota : null,
            Plugins = plugins,
            PluginsError = pluginsError,
            Deleting = Meta.Deleting(profile),
            HasFinalizer = finalizers.Contains(Finalizer),
            Finalizers = finalizers,
            Status = profile["status"] as JsonObject,
            Raw = profile,
        };
    }
}
