namespace ExtAuthz.Core.Access;

/// <summary>
/// One slice of the published namespace map. Snapshots share the shards a change did not touch, so a watch event
/// copies one small map instead of every namespace (a large copy per event would also land on the large-object heap).
/// Beside the profile namespaces, a shard keeps the Profiles of its slice that their Namespace did not adopt, with the
/// reason: they grant nothing and are no profile namespace, but a deny can say why.
/// </summary>
internal sealed class NamespaceShard
{
    public const int Count = 256;

    private static readonly Dictionary<string, string> s_noneUnadopted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NamespaceAccess>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _unadoptedBySpan;

    /// <param name="namespaces">Owned by the shard from here on: never changed again.</param>
    /// <param name="unadopted">Profile name → why its Namespace does not adopt it; owned by the shard likewise.</param>
    public NamespaceShard(Dictionary<string, NamespaceAccess> namespaces, Dictionary<string, string>? unadopted = null)
    {
        Namespaces = namespaces;
        Unadopted = unadopted is { Count: > 0 } ? unadopted : s_noneUnadopted;
        _bySpan = namespaces.GetAlternateLookup<ReadOnlySpan<char>>();
        _unadoptedBySpan = Unadopted.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static NamespaceShard Empty { get; } = new(new Dictionary<string, NamespaceAccess>(StringComparer.Ordinal));

    public Dictionary<string, NamespaceAccess> Namespaces { get; }

    public Dictionary<string, string> Unadopted { get; }

    /// <summary>Which shard holds <paramref name="ns"/>: the process's string hash, so no key can be aimed at one shard from outside.</summary>
    public static int IndexOf(ReadOnlySpan<char> ns) => (int)((uint)string.GetHashCode(ns) % Count);

    public bool TryGet(ReadOnlySpan<char> ns, out NamespaceAccess access) => _bySpan.TryGetValue(ns, out access!);

    public bool Contains(ReadOnlySpan<char> ns) => _bySpan.ContainsKey(ns);

    public bool TryGetUnadopted(ReadOnlySpan<char> ns, out string reason) => _unadoptedBySpan.TryGetValue(ns, out reason!);
}
