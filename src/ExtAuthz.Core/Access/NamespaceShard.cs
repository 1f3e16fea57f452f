namespace ExtAuthz.Core.Access;

/// <summary>
/// One slice of the published namespace map. Snapshots share the shards a change did not touch, so a watch event
/// copies one small map instead of every namespace (a large copy per event would also land on the large-object heap).
/// </summary>
internal sealed class NamespaceShard
{
    public const int Count = 256;

    private readonly Dictionary<string, NamespaceAccess>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <param name="namespaces">Owned by the shard from here on: never changed again.</param>
    public NamespaceShard(Dictionary<string, NamespaceAccess> namespaces)
    {
        Namespaces = namespaces;
        _bySpan = namespaces.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static NamespaceShard Empty { get; } = new(new Dictionary<string, NamespaceAccess>(StringComparer.Ordinal));

    public Dictionary<string, NamespaceAccess> Namespaces { get; }

    /// <summary>Which shard holds <paramref name="ns"/>: the process's string hash, so no key can be aimed at one shard from outside.</summary>
    public static int IndexOf(ReadOnlySpan<char> ns) => (int)((uint)string.GetHashCode(ns) % Count);

    public bool TryGet(ReadOnlySpan<char> ns, out NamespaceAccess access) => _bySpan.TryGetValue(ns, out access!);

    public bool Contains(ReadOnlySpan<char> ns) => _bySpan.ContainsKey(ns);
}
