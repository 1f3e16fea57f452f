using System.Globalization;
using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// Builds a Profile's <c>status</c>: <c>observedGeneration</c> and a fixed set of conditions, each replaced (never
/// appended). A condition's <c>lastTransitionTime</c> moves only when its status flips, so an unchanged outcome yields
/// an identical status and no write.
/// </summary>
internal static class ProfileStatus
{
    public const string Ready = "Ready";
    public const string PluginsRevoked = "PluginsRevoked";

    /// <summary>The status to write, or null when the stored one already says this.</summary>
    public static JsonObject? Next(ProfileView profile, IReadOnlyList<(string Type, bool Status, string Reason, string Message)> conditions, DateTimeOffset now)
    {
        var old = profile.Status?["conditions"] as JsonArray;
        var list = new JsonArray();
        foreach (var (type, status, reason, message) in conditions)
        {
            var previous = old?.OfType<JsonObject>().FirstOrDefault(c => Meta.Str(c["type"]) == type);
            var statusText = status ? "True" : "False";
            var since = previous is not null && Meta.Str(previous["status"]) == statusText && Meta.Str(previous["lastTransitionTime"]) is { } kept
                ? kept
                : now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            list.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = statusText,
                ["reason"] = reason,
                ["message"] = message,
                ["observedGeneration"] = profile.Generation,
                ["lastTransitionTime"] = since,
            });
        }

        var next = new JsonObject { ["observedGeneration"] = profile.Generation, ["conditions"] = list };
        return profile.Status is { } current && Says(current, next) ? null : next;
    }

    /// <summary>
    /// Whether the stored status already says what <paramref name="next"/> says. Kubeflow's Profile CRD declares only
    /// type, status and message for a condition, and an API server prunes undeclared fields; a field missing from the
    /// stored status therefore counts as equal, or every reconcile would write again (and trigger another).
    /// </summary>
    private static bool Says(JsonObject current, JsonObject next)
    {
        if (current["observedGeneration"] is { } generation && !JsonNode.DeepEquals(generation, next["observedGeneration"]))
        {
            return false;
        }

        if (current["conditions"] is not JsonArray stored || stored.Count != next["conditions"]!.AsArray().Count)
        {
            return false;
        }

        return next["conditions"]!.AsArray().Select((wanted, i) => (wanted!.AsObject(), stored[i] as JsonObject)).All(pair =>
            pair.Item2 is { } have && pair.Item1.All(field => field.Key is "type" or "status" or "message"
                ? JsonNode.DeepEquals(have[field.Key], field.Value)
                : have[field.Key] is null || JsonNode.DeepEquals(have[field.Key], field.Value)));
    }
}
