namespace ExtAuthz.Core.Access;

/// <summary>
/// Ids to grants, matched as Kubernetes RBAC matches them: exactly, byte for byte, whatever the id looks like
/// (DESIGN §3). A second, case-folded view of the same keys serves only to explain a deny ("a grant exists for
/// Alice@Example.com, which differs only in case"); it never grants. Plain dictionaries, never changed after
/// construction (safe for concurrent readers): a namespace holds a handful of ids, and a frozen dictionary per
/// namespace made building 10,000 namespaces twice as slow for no measurable lookup gain.
/// </summary>
public sealed class GrantTable
{
    private static readonly Dictionary<string, Grant> s_none = [];
    private static readonly Dictionary<string, string> s_noFolds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Grant> _exact;
    private readonly Dictionary<string, string> _folded;

    private GrantTable(Dictionary<string, Grant> exact, Dictionary<string, string> folded)
    {
        _exact = exact;
        _folded = folded;
    }

    public static GrantTable Empty { get; } = new(s_none, s_noFolds);

    public int Count => _exact.Count;

    public bool IsEmpty => _exact.Count == 0;

    /// <summary>Builds the table; when an id appears twice, <paramref name="pick"/> chooses which value stays.</summary>
    public static GrantTable Create(IEnumerable<KeyValuePair<string, Grant>> entries, Func<Grant, Grant, Grant> pick)
    {
        Dictionary<string, Grant>? exact = null;
        foreach (var (id, value) in entries)
        {
            exact ??= new Dictionary<string, Grant>(StringComparer.Ordinal);
            exact[id] = exact.TryGetValue(id, out var existing) ? pick(existing, value) : value;
        }

        if (exact is null)
        {
            return Empty;
        }

        // The folded view keys the same strings (no copies); between ids that fold together the first stays.
        var folded = new Dictionary<string, string>(exact.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var id in exact.Keys)
        {
            folded.TryAdd(id, id);
        }

        return new GrantTable(exact, folded);
    }

    /// <summary>The grant for exactly <paramref name="id"/>; null when there is none. One hash probe, no allocation.</summary>
    public Grant? Find(string id) => _exact.Count != 0 && _exact.TryGetValue(id, out var value) ? value : null;

    /// <summary>
    /// The granted id that equals <paramref name="id"/> except in letter case, for a deny's explanation; null when
    /// there is none (or <paramref name="id"/> itself is granted). Never grants anything.
    /// </summary>
    public string? FindCaseVariant(string id) =>
        _folded.Count != 0 && _folded.TryGetValue(id, out var granted) && !_exact.ContainsKey(id) ? granted : null;

    public IEnumerable<KeyValuePair<string, Grant>> Entries => _exact;
}
