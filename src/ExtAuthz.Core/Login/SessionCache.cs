using System.Collections.Concurrent;

namespace ExtAuthz.Core.Login;

/// <summary>
/// Verified session cookies by their exact value, as <see cref="Identity.TokenCache"/> keeps validated tokens: a hit
/// is one span lookup that allocates nothing and neither recomputes the MAC nor decrypts. Only cookies whose MAC
/// verified and whose session the store returned are added. Bounded by entries: when full, one sweep drops expired
/// entries and then arbitrary ones down to three quarters of the bound.
/// </summary>
internal sealed class SessionCache
{
    private readonly ConcurrentDictionary<string, SessionEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionEntry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxEntries;
    private readonly TimeProvider _time;
    private int _sweeping;

    public SessionCache(int maxEntries, TimeProvider time)
    {
        _maxEntries = maxEntries;
        _time = time;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _entries.Count;

    public SessionEntry? Find(ReadOnlySpan<char> cookieValue) => _lookup.TryGetValue(cookieValue, out var entry) ? entry : null;

    public void Add(SessionEntry entry)
    {
        if (_entries.Count >= _maxEntries)
        {
            Sweep();
        }

        _entries[entry.CookieValue] = entry;
    }

    public void Remove(string cookieValue) => _entries.TryRemove(cookieValue, out _);

    /// <summary>Drops every entry of this session id hash (after a logout or a revocation of it).</summary>
    public void RemoveSession(string idHash)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.IdHash == idHash)
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private void Sweep()
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return;
        }

        try
        {
            var now = _time.GetUtcNow().UtcTicks;
            var target = _maxEntries / 4 * 3;
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresTicks <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(key, entry));
                }
            }

            foreach (var (key, entry) in _entries)
            {
                if (_entries.Count <= target)
                {
                    break;
                }

                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
