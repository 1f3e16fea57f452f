namespace ExtAuthz.Core.Identity;

/// <summary>
/// The revocations this replica knows, held in memory. Readers take the current immutable snapshot without a
/// lock; the rare writers (an admin call, a message from another replica, the expiry sweep) build a new snapshot
/// under one lock and publish it. An entry is dropped after its <see cref="RevocationEntry.ExpiresAt"/>.
/// </summary>
public sealed class RevocationSet : IRevocationList
{
    private readonly Lock _write = new();
    private volatile RevocationSnapshot _current = RevocationSnapshot.Empty;

    public int Count => _current.Count;

    public IReadOnlyCollection<RevocationEntry> Entries => _current.Entries;

    public RevocationEntry? Find(Principal principal) => _current.Find(principal);

    /// <summary>Adds an entry; false when the same revocation (or a later one of the same user) is already held.</summary>
    public bool Add(RevocationEntry entry)
    {
        lock (_write)
        {
            var current = _current;
            if (current.ByKey.TryGetValue(entry.Key, out var existing) && existing.RevokedAt >= entry.RevokedAt)
            {
                return false;
            }

            var entries = new Dictionary<string, RevocationEntry>(current.ByKey, StringComparer.Ordinal) { [entry.Key] = entry };
            _current = new RevocationSnapshot(entries);
        }

        return true;
    }

    /// <summary>Drops the entries that expired at <paramref name="now"/>; returns how many.</summary>
    public int Prune(DateTimeOffset now)
    {
        lock (_write)
        {
            var current = _current;
            var kept = current.ByKey.Where(e => e.Value.ExpiresAt > now).ToDictionary(StringComparer.Ordinal);
            if (kept.Count == current.Count)
            {
                return 0;
            }

            _current = new RevocationSnapshot(kept);
            return current.Count - kept.Count;
        }
    }
}
