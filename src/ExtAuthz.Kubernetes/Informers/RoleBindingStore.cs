using System.Text.Json;
using ExtAuthz.Core.Access;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>RoleBindings into the access index.</summary>
internal sealed class RoleBindingStore : IResourceStore<RoleBindingRecord>
{
    private readonly AccessIndex _index;

    public RoleBindingStore(AccessIndex index) => _index = index;

    public bool TryRead(JsonElement obj, out RoleBindingRecord? item, out string? error) => KubeObjectReader.TryReadRoleBinding(obj, out item, out error);

    public ObjectKey KeyOf(RoleBindingRecord item) => new(item.Namespace, item.Name);

    public void Replace(IReadOnlyList<RoleBindingRecord> items) => _index.ReplaceRoleBindings(items);

    public void Upsert(RoleBindingRecord item) => _index.UpsertRoleBinding(item);

    public void Delete(ObjectKey key)
    {
        if (key.Namespace is not null)
        {
            _index.DeleteRoleBinding(key.Namespace, key.Name);
        }
    }
}
