using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// Whether an object already holds every field a partial body sets, so applying it would change nothing. Maps are
/// compared per key (others may add keys); lists must match element for element, except the set-like
/// <c>ownerReferences</c> and <c>finalizers</c>; quantities compare by value (<c>1Gi</c> equals <c>1024Mi</c>).
/// </summary>
internal static class Converged
{
    private static readonly HashSet<string> s_setLists = new(StringComparer.Ordinal) { "ownerReferences", "finalizers" };

    public static bool Holds(JsonNode? actual, JsonNode? desired, string? property = null, bool quantity = false)
    {
        switch (desired)
        {
            case null:
                return actual is null || actual.GetValueKind() == JsonValueKind.Null;
            case JsonObject wanted:
                if (actual is not JsonObject have)
                {
                    return false;
                }

                foreach (var (key, value) in wanted)
                {
                    if (!Holds(have[key], value, key, quantity || property is "hard"))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray wantedList:
                if (actual is not JsonArray haveList)
                {
                    return false;
                }

                if (property is not null && s_setLists.Contains(property))
                {
                    return wantedList.All(w => haveList.Any(h => Holds(h, w)));
                }

                return haveList.Count == wantedList.Count && wantedList.Select((w, i) => Holds(haveList[i], w)).All(b => b);
            default:
                if (actual is null)
                {
                    return false;
                }

                if (quantity && actual.GetValueKind() == JsonValueKind.String && desired.GetValueKind() == JsonValueKind.String)
                {
                    return SameQuantity(actual.GetValue<string>(), desired.GetValue<string>());
                }

                return JsonNode.DeepEquals(actual, desired);
        }
    }

    private static bool SameQuantity(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        try
        {
            return new ResourceQuantity(a).ToDecimal() == new ResourceQuantity(b).ToDecimal();
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
