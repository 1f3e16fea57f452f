using System.Text.Json.Nodes;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>Reads of single objects, for the fake's object routes (get, create, update, patch, delete).</summary>
internal sealed partial class FakeResource
{
    /// <summary>A copy of the object stored under "namespace/name" (or "name"), or null.</summary>
    public JsonObject? Get(string key)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(key, out var json) ? JsonNode.Parse(json)!.AsObject() : null;
        }
    }

    /// <summary>Copies of every object, in key order.</summary>
    public List<JsonObject> Objects()
    {
        lock (_gate)
        {
            return [.. _objects.Values.Select(json => JsonNode.Parse(json)!.AsObject())];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>
    /// The structural schema (a CRD version's <c>openAPIV3Schema</c>) every write to this resource is pruned to, as
    /// kube-apiserver prunes custom resources; null keeps every field.
    /// </summary>
    public JsonObject? Schema { get; set; }

    /// <summary>The key an object is stored under.</summary>
    public static string Key(JsonObject obj) => KeyOf(obj);
}
