using System.Text.Json;
using ExtAuthz.Core.Access;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>Namespaces into the access index: each one decides whether the Profile of the same name is adopted.</summary>
internal sealed class NamespaceStore : IResourceStore<NamespaceRecord>
{
    private readonly AccessIndex _index;

    public NamespaceStore(AccessIndex index) => _index = index;

    public bool TryRead(JsonElement obj, out NamespaceRecord? item, out string? error) => KubeObjectReader.TryReadNamespace(obj, out item, out error);

    public ObjectKey KeyOf(NamespaceRecord item) => new(null, item.Name);

    public void Replace(IReadOnlyList<NamespaceRecord> items) => _index.ReplaceNamespaces(items);

    public void Upsert(NamespaceRecord item) => _index.UpsertNamespace(item);

    public void Delete(ObjectKey key) => _index.DeleteNamespace(key.Name);
}
