using System.Text.Json.Nodes;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>
/// What kube-apiserver does to a custom resource on every write: fields its structural schema (the CRD's
/// <c>openAPIV3Schema</c>) does not declare are dropped, unless a level says <c>x-kubernetes-preserve-unknown-fields</c>.
/// <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> are the server's own and are never pruned here.
/// </summary>
internal static class StructuralPruning
{
    public static void Prune(JsonObject obj, JsonObject schema)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (schema["properties"]?[key] is JsonObject declared)
            {
                PruneNode(value, declared);
            }
            else
            {
                obj.Remove(key);
            }
        }
    }

    private static void PruneNode(JsonNode? node, JsonObject schema)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            return;
        }

        switch (node)
        {
            case JsonObject map when schema["properties"] is JsonObject properties:
                foreach (var (key, value) in map.ToList())
                {
                    if (properties[key] is JsonObject declared)
                    {
                        PruneNode(value, declared);
                    }
                    else
                    {
                        map.Remove(key);
                    }
                }

                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject values:
                foreach (var (_, value) in map)
                {
                    PruneNode(value, values);
                }

                break;
            case JsonObject map:
                map.Clear();
                break;
            case JsonArray list when schema["items"] is JsonObject items:
                foreach (var item in list)
                {
                    PruneNode(item, items);
                }

                break;
        }
    }
}
