using System.Text.Json;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>Where an informer puts what it reads: parses one resource's objects and applies lists and events.</summary>
internal interface IResourceStore<T>
    where T : class
{
    bool TryRead(JsonElement obj, out T? item, out string? error);

    ObjectKey KeyOf(T item);

    /// <summary>A full list: everything not in it is gone.</summary>
    void Replace(IReadOnlyList<T> items);

    void Upsert(T item);

    void Delete(ObjectKey key);
}
