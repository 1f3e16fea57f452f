using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Access;

/// <summary>
/// The index as readers see it: profile namespaces and their grants. Never changed after it is published; a
/// change publishes a new snapshot (sharing every part the change did not touch), so a reader needs no lock and
/// sees one consistent version.
/// </summary>
public sealed class AccessSnapshot : IProfileNamespaces
{
    private readonly NamespaceShard[] _shards;

    internal AccessSnapshot(NamespaceShard[] shards, int profileCount, long version, DateTimeOffset updatedAt, int roleBindingCount,
        int unadoptedCount = 0)
    {
        _shards = shards;
        ProfileCount = profileCount;
        UnadoptedCount = unadoptedCount;
        Version = version;
        UpdatedAt = updatedAt;
        RoleBindingCount = roleBindingCount;
    }

    /// <summary>Counts publications: every change makes a new version.</summary>
    public long Version { get; }

    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Adopted Profiles: the profile namespaces.</summary>
    public int ProfileCount { get; }

    /// <summary>Profiles whose Namespace is missing or names another owner: they grant nothing.</summary>
    public int UnadoptedCount { get; }

    /// <summary>Every RoleBinding the source holds, including those in namespaces that are not profiles.</summary>
    public int RoleBindingCount { get; }

    internal NamespaceShard[] Shards => _shards;

    /// <summary>The profile namespace named by <paramref name="ns"/>; its <see cref="NamespaceAccess.Name"/> is the key, so no copy is made.</summary>
    public bool TryGet(ReadOnlySpan<char> ns, out NamespaceAccess access) =>
        _shards[NamespaceShard.IndexOf(ns)].TryGet(ns, out access);

    public NamespaceAccess? Find(string ns) => TryGet(ns, out var access) ? access : null;

    /// <summary>Only adopted Profiles make profile namespaces, for path, query, host and destination resolution alike.</summary>
    public bool IsProfileNamespace(ReadOnlySpan<char> ns) => _shards[NamespaceShard.IndexOf(ns)].Contains(ns);

    /// <summary>Why the Profile named <paramref name="ns"/> grants nothing, when there is one that its Namespace did not adopt.</summary>
    public bool TryGetUnadopted(ReadOnlySpan<char> ns, out string reason) => _shards[NamespaceShard.IndexOf(ns)].TryGetUnadopted(ns, out reason);

    public IEnumerable<NamespaceAccess> All => _shards.SelectMany(s => s.Namespaces.Values);

    /// <summary>Every unadopted Profile with its reason, in name order.</summary>
    public IEnumerable<KeyValuePair<string, string>> Unadopted =>
        _shards.SelectMany(s => s.Unadopted).OrderBy(u => u.Key, StringComparer.Ordinal);
}
