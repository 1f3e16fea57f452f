using System.Text.Json.Nodes;
using ExtAuthz.Kubernetes.Informers;
using k8s;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller.Cache;

/// <summary>
/// What the controller knows of the cluster: one informer per kind (Profiles and every kind a Profile owns), each
/// filling an <see cref="ObjectStore"/>. An owned object's change queues the Profile its controller ownerReference
/// names; a Namespace's change also queues the Profile of the same name, so a namespace an admin marks for adoption
/// is picked up at once.
/// </summary>
internal sealed class ClusterCache
{
    private readonly Dictionary<ManagedKind, ObjectStore> _stores = [];
    private readonly List<ResourceInformer<JsonObject>> _informers = [];

    public ClusterCache(Lazy<IKubernetes> connection, string profileVersion, Action<string> enqueue, TimeProvider time, ILogger logger)
    {
        Profiles = new ObjectStore(new ManagedKind(Meta.ProfileGroup, profileVersion, "Profile", "profiles", false), p => [Meta.Name(p)], enqueue);
        Add(Profiles, new KubernetesResourceApi(connection, Meta.ProfileGroup, profileVersion, "profiles"), time, logger);
        foreach (var kind in ManagedKind.Owned)
        {
            var store = new ObjectStore(kind, kind == ManagedKind.Namespace ? NamespaceProfiles : OwnerProfile, enqueue);
            _stores[kind] = store;
            IResourceApi api = kind.Group.Length == 0
                ? new CoreResourceApi(connection, kind)
                : new KubernetesResourceApi(connection, kind.Group, kind.Version, kind.Plural);
            Add(store, api, time, logger);
        }
    }

    public ObjectStore Profiles { get; }

    public ObjectStore Of(ManagedKind kind) => _stores[kind];

    public IEnumerable<InformerStatus> Status => _informers.Select(i => i.Status);

    public bool Synced => _informers.All(i => i.Status.Synced);

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(_informers.Select(i => i.RunAsync(cancellationToken)));

    private void Add(ObjectStore store, IResourceApi api, TimeProvider time, ILogger logger) =>
        _informers.Add(new ResourceInformer<JsonObject>(api, store, 500, TimeSpan.FromMinutes(5),
            new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), Random.Shared), time, logger));

    private static IEnumerable<string> OwnerProfile(JsonObject obj) =>
        Meta.ProfileController(obj) is { } owner ? [owner.Name] : [];

    private IEnumerable<string> NamespaceProfiles(JsonObject ns)
    {
        var name = Meta.Name(ns);
        if (Meta.ProfileController(ns) is { } owner && owner.Name != name)
        {
            yield return owner.Name;
        }

        if (Profiles.Get(null, name) is not null)
        {
            yield return name;
        }
    }
}
