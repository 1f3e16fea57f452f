using System.Collections.Concurrent;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Validated tokens by their text, bounded by entries and by estimated memory. Reads are lock-free and allocation-free
/// (a span lookup hashes the token once). Only validated tokens are ever added. When full, a single sweep drops
/// expired and withdrawn entries and then, if still needed, arbitrary ones down to three quarters of the bound;
/// while a sweep runs, new tokens are simply not cached.
/// </summary>
internal sealed class TokenCache
{
    private readonly ConcurrentDictionary<string, CachedToken> _entries = new(TokenKeyComparer.Instance);
    private readonly ConcurrentDictionary<string, CachedToken>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private int _count;
    private long _bytes;
    private int _sweeping;
    private long _hits;
    private long _misses;

    public TokenCache(int maxEntries, long maxBytes, TimeProvider time)
    {
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
        _time = time;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Checks answered from the cache; read at scrape time only.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Checks whose token had to be validated (not cached, or no longer servable).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public void CountHit() => Interlocked.Increment(ref _hits);

    public void CountMiss() => Interlocked.Increment(ref _misses);

    public long EstimatedBytes => Interlocked.Read(ref _bytes);

    public CachedToken? Find(ReadOnlySpan<char> token) => _lookup.TryGetValue(token, out var entry) ? entry : null;

    /// <summary>Adds a validated token; false when it was not kept (the cache is full and a sweep is under way).</summary>
    public bool Add(CachedToken entry)
    {
        if (!HasRoomFor(entry) && (!Sweep() || !HasRoomFor(entry)))
        {
            return false;
        }

        if (_entries.TryAdd(entry.Token, entry))
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _bytes, entry.EstimatedBytes);
            return true;
        }

        return false;
    }

    /// <summary>Removes this entry (not a newer one for the same token).</summary>
    public void Remove(CachedToken entry)
    {
        if (_entries.TryRemove(KeyValuePair.Create(entry.Token, entry)))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -entry.EstimatedBytes);
        }
    }

    /// <summary>Drops every entry that can no longer be served: expired, or signed by a withdrawn key.</summary>
    public int RemoveUnservable()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var removed = 0;
        foreach (var (_, entry) in _entries)
        {
            if (!entry.IsServableAt(now))
            {
                Remove(entry);
                removed++;
            }
        }

        return removed;
    }

    private bool HasRoomFor(CachedToken entry) =>
        Volatile.Read(ref _count) < _maxEntries && Interlocked.Read(ref _bytes) + entry.EstimatedBytes <= _maxBytes;

    /// <summary>One sweep at a time; false when another thread is already sweeping.</summary>
    private bool Sweep()
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            RemoveUnservable();
            var targetCount = _maxEntries / 4 * 3;
            var targetBytes = _maxBytes / 4 * 3;
            if (Count <= targetCount && EstimatedBytes <= targetBytes)
            {
                return true;
            }

            foreach (var (_, entry) in _entries)
            {
                if (Count <= targetCount && EstimatedBytes <= targetBytes)
                {
                    break;
                }

                Remove(entry);
            }

            return true;
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
