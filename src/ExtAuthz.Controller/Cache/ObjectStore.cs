using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Kubernetes.Informers;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Controller.Cache;

/// <summary>
/// The informer cache of one kind: objects by "namespace/name" as parsed JSON, never modified in place (a change
/// replaces the entry). Every change names the Profiles it concerns through <see cref="ProfileMapper"/>, and those
/// names go to the work queue.
/// </summary>
internal sealed class ObjectStore : IResourceStore<JsonObject>
{
    private ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly Action<string> _enqueue;
    private readonly Func<JsonObject, IEnumerable<string>> _profilesOf;

    public ObjectStore(ManagedKind kind, Func<JsonObject, IEnumerable<string>> profilesOf, Action<string> enqueue)
    {
        Kind = kind;
        _profilesOf = profilesOf;
        _enqueue = enqueue;
    }

    public ManagedKind Kind { get; }

    public int Count => _objects.Count;

    public IEnumerable<JsonObject> All => _objects.Values;

    public JsonObject? Get(string? ns, string name) => _objects.TryGetValue(Key(ns, name), out var obj) ? obj : null;

    public bool TryRead(JsonElement obj, out JsonObject? item, out string? error)
    {
        item = JsonNode.Parse(obj.GetRawText()) as JsonObject;
        if (item?["metadata"]?["name"]?.GetValueKind() != JsonValueKind.String)
        {
            item = null;
            error = "no metadata.name";
            return false;
        }

        error = null;
        return true;
    }

    public ObjectKey KeyOf(JsonObject item) => new(Meta.Namespace(item), Meta.Name(item));

    public void Replace(IReadOnlyList<JsonObject> items)
    {
        var next = new ConcurrentDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            next[Key(Meta.Namespace(item), Meta.Name(item))] = item;
        }

        var previous = Interlocked.Exchange(ref _objects, next);
        foreach (var obj in previous.Values.Concat(next.Values))
        {
            Notify(obj);
        }
    }

    public void Upsert(JsonObject item)
    {
        _objects[Key(Meta.Namespace(item), Meta.Name(item))] = item;
        Notify(item);
    }

    /// <summary>Stores what a write returned, ahead of its watch event, so the next reconcile sees it; queues nothing.</summary>
    public void Remember(JsonObject item) => _objects[Key(Meta.Namespace(item), Meta.Name(item))] = item;

    /// <summary>Drops an object this process deleted, ahead of its watch event.</summary>
    public void Forget(string? ns, string name) => _objects.TryRemove(Key(ns, name), out _);

    public void Delete(ObjectKey key)
    {
        if (_objects.TryRemove(Key(key.Namespace, key.Name), out var gone))
        {
            Notify(gone);
        }
    }

    private void Notify(JsonObject obj)
    {
        foreach (var profile in _profilesOf(obj))
        {
            _enqueue(profile);
        }
    }

    private static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";
}
