using System.Text.Json;
using ExtAuthz.Core.Access;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>Profiles into the access index.</summary>
internal sealed class ProfileStore : IResourceStore<ProfileRecord>
{
    private readonly AccessIndex _index;

    public ProfileStore(AccessIndex index) => _index = index;

    public bool TryRead(JsonElement obj, out ProfileRecord? item, out string? error) => KubeObjectReader.TryReadProfile(obj, out item, out error);

    public ObjectKey KeyOf(ProfileRecord item) => new(null, item.Name);

    public void Replace(IReadOnlyList<ProfileRecord> items) => _index.ReplaceProfiles(items);

    public void Upsert(ProfileRecord item) => _index.UpsertProfile(item);

    public void Delete(ObjectKey key) => _index.DeleteProfile(key.Name);
}
