using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Access;

/// <summary>
/// The index as readers see it: profile namespaces and their grants. Never changed after it is published; a
/// change publishes a new snapshot, so a reader needs no lock and sees one consistent version.
/// </summary>
public sealed class AccessSnapshot : IProfileNamespaces
{
    private readonly Dictionary<string, NamespaceAccess> _namespaces;
    private readonly Dictionary<string, NamespaceAccess>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <param name="namespaces">Owned by the snapshot from here on: the writer never touches it again.</param>
    public AccessSnapshot(Dictionary<string, NamespaceAccess> namespaces, long version, DateTimeOffset updatedAt, int roleBindingCount)
    {
        _namespaces = namespaces;
        _bySpan = namespaces.GetAlternateLookup<ReadOnlySpan<char>>();
        Version = version;
        UpdatedAt = updatedAt;
        RoleBindingCount = roleBindingCount;
    }

    /// <summary>Counts publications: every change makes a new version.</summary>
    public long Version { get; }

    public DateTimeOffset UpdatedAt { get; }

    public int ProfileCount => _namespaces.Count;

    /// <summary>Every RoleBinding the source holds, including those in namespaces that are not profiles.</summary>
    public int RoleBindingCount { get; }

    internal Dictionary<string, NamespaceAccess> Namespaces => _namespaces;

    /// <summary>The profile namespace named by <paramref name="ns"/>; the key string comes back too, so no copy is made.</summary>
    public bool TryGet(ReadOnlySpan<char> ns, out NamespaceAccess access) =>
        _bySpan.TryGetValue(ns, out access!);

    public NamespaceAccess? Find(string ns) => _namespaces.TryGetValue(ns, out var access) ? access : null;

    public bool IsProfileNamespace(ReadOnlySpan<char> ns) => _bySpan.ContainsKey(ns);

    public IEnumerable<NamespaceAccess> All => _namespaces.Values;
}
