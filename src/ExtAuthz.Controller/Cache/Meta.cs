using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExtAuthz.Controller.Cache;

/// <summary>Reads of <c>metadata</c> fields from raw objects; every field may be missing or of the wrong type.</summary>
internal static class Meta
{
    public const string ProfileGroup = "kubeflow.org";

    public static string Name(JsonNode obj) => Str(obj["metadata"]?["name"]) ?? "";

    public static string? Namespace(JsonNode obj) => Str(obj["metadata"]?["namespace"]);

    public static string? Uid(JsonNode obj) => Str(obj["metadata"]?["uid"]);

    public static string? ResourceVersion(JsonNode obj) => Str(obj["metadata"]?["resourceVersion"]);

    public static string? Annotation(JsonNode obj, string key) => Str(obj["metadata"]?["annotations"]?[key]);

    public static bool Deleting(JsonNode obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static IReadOnlyList<string> Finalizers(JsonNode obj) =>
        obj["metadata"]?["finalizers"] is JsonArray list ? [.. list.Select(Str).OfType<string>()] : [];

    /// <summary>The controller ownerReference when it points to a Profile (any served version): its name and UID.</summary>
    public static (string Name, string Uid)? ProfileController(JsonNode obj)
    {
        if (obj["metadata"]?["ownerReferences"] is not JsonArray refs)
        {
            return null;
        }

        foreach (var r in refs)
        {
            if (r is JsonObject reference && reference["controller"]?.GetValueKind() == JsonValueKind.True
                && Str(reference["kind"]) == "Profile" && Str(reference["apiVersion"])?.StartsWith(ProfileGroup + "/", StringComparison.Ordinal) == true
                && Str(reference["name"]) is { } name && Str(reference["uid"]) is { } uid)
            {
                return (name, uid);
            }
        }

        return null;
    }

    public static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
