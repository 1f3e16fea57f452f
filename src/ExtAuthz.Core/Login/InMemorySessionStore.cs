using System.Collections.Concurrent;

namespace ExtAuthz.Core.Login;

/// <summary>
/// Sessions in this process only: the single-replica default (<c>Redis:Configuration</c> unset). Expired sessions are
/// never returned and are swept out as new ones arrive, so memory follows the live sessions.
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, StoredSession> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _saves;

    public InMemorySessionStore(TimeProvider time) => _time = time;

    public ValueTask<StoredSession?> GetAsync(string idHash, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(idHash, out var session))
        {
            if (session.ExpiresAt > _time.GetUtcNow())
            {
                return ValueTask.FromResult<StoredSession?>(session);
            }

            _sessions.TryRemove(KeyValuePair.Create(idHash, session));
        }

        return ValueTask.FromResult<StoredSession?>(null);
    }

    public ValueTask SaveAsync(StoredSession session, CancellationToken cancellationToken)
    {
        _sessions[session.IdHash] = session;
        if (Interlocked.Increment(ref _saves) % SweepEvery == 0)
        {
            RemoveExpired();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(string idHash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sessions.TryRemove(idHash, out _));

    public ValueTask<int> DeleteUserAsync(string userId, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (key, session) in _sessions)
        {
            if (session.UserId == userId && _sessions.TryRemove(KeyValuePair.Create(key, session)))
            {
                removed++;
            }
        }

        return ValueTask.FromResult(removed);
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        RemoveExpired();
        return ValueTask.FromResult((long)_sessions.Count);
    }

    private void RemoveExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(KeyValuePair.Create(key, session));
            }
        }
    }
}
