namespace ExtAuthz.Core.Login;

/// <summary>
/// One session as a store keeps it. Only <see cref="UserId"/> (to end every session of a user) and the times are in
/// clear; identity, groups and tokens are inside <see cref="Sealed"/>, encrypted by the caller.
/// </summary>
/// <param name="IdHash">Base64url SHA-256 of the random session id: the key. The id itself is never stored.</param>
/// <param name="UserId">The user id, exactly as the ID token wrote it.</param>
/// <param name="ExpiresAt">Absolute end of the session; a store drops it then (Redis: the key's TTL).</param>
/// <param name="Sealed">The encrypted <c>SessionPayload</c>; opaque to the store.</param>
public sealed record StoredSession(string IdHash, string UserId, DateTimeOffset ExpiresAt, byte[] Sealed);
