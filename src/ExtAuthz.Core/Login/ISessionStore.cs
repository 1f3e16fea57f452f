namespace ExtAuthz.Core.Login;

/// <summary>
/// Where browser sessions live: in this process (<see cref="InMemorySessionStore"/>) or shared by every replica
/// (Redis). The store holds only <see cref="StoredSession"/> values: the key is a hash of the session id and the
/// payload is already sealed (AES-GCM under a key derived from the key ring and the id itself), so a dump of the
/// store can neither be replayed as a cookie nor read without the cookies.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item>A Check never waits on this store when the session is warm: callers keep their own per-replica cache of
/// verified cookies (<c>SessionCache</c>) and call <see cref="GetAsync"/> only for a session this replica has not
/// seen (or whose cached copy is older than the cache's short TTL). So a store needs no cache of its own.</item>
/// <item>Every call is bounded: a remote store answers or throws <see cref="LoginStoreUnavailableException"/> well
/// within Envoy's 0.5 s (callers answer a clear 503, never a redirect loop). Cancellation is honoured.</item>
/// <item>A session expires at <see cref="StoredSession.ExpiresAt"/> (absolute lifetime, <c>Login:Session:Lifetime</c>,
/// 24 h by default): after that <see cref="GetAsync"/> returns null and the store may forget it (a Redis TTL).</item>
/// <item>Deleting a session here does not evict other replicas' warm caches: the caller also publishes a revocation
/// (the existing revocation replication), which every replica applies before its next Check.</item>
/// </list>
/// </remarks>
public interface ISessionStore
{
    /// <summary>The session whose id hashes to <paramref name="idHash"/>, or null when none, expired or deleted.</summary>
    ValueTask<StoredSession?> GetAsync(string idHash, CancellationToken cancellationToken);

    /// <summary>Stores a new session (or replaces the one with the same <see cref="StoredSession.IdHash"/>, after a refresh).</summary>
    ValueTask SaveAsync(StoredSession session, CancellationToken cancellationToken);

    /// <summary>Ends one session; false when there was none.</summary>
    ValueTask<bool> DeleteAsync(string idHash, CancellationToken cancellationToken);

    /// <summary>Ends every session of <paramref name="userId"/> (exact id, as <see cref="StoredSession.UserId"/>); returns how many.</summary>
    ValueTask<int> DeleteUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Live sessions held; for tests and metrics, may be approximate for a remote store.</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken);
}
