using System.Text.Json;
using ExtAuthz.Core.Login;
using StackExchange.Redis;

namespace ExtAuthz.Redis;

/// <summary>
/// Sessions shared by every replica: <c>extauthz:session:&lt;id hash&gt;</c> holds the sealed session (the caller
/// encrypts it under a key only the cookie can derive) with a TTL to its absolute end, and
/// <c>extauthz:session-user:&lt;user hash&gt;</c> lists a user's session hashes so <c>revoke --user</c> can end them
/// all. Each call is one round trip, bounded by <see cref="RedisStoreConnection"/>; a warm Check never comes here.
/// </summary>
public sealed class RedisSessionStore : ISessionStore
{
    public const string KeyPrefix = "extauthz:session:";
    public const string UserKeyPrefix = "extauthz:session-user:";

    // Writes the session and indexes it under its user, the index living as long as the user's longest session.
    private static readonly LuaScript s_save = LuaScript.Prepare("""
        redis.call('SET', @key, @value, 'PX', @ttl)
        redis.call('SADD', @userKey, @idHash)
        if redis.call('PTTL', @userKey) < tonumber(@ttl) then redis.call('PEXPIRE', @userKey, @ttl) end
        return 1
        """);

    // Ends every session of one user; returns how many were live.
    private static readonly LuaScript s_deleteUser = LuaScript.Prepare("""
        local ended = 0
        for _, idHash in ipairs(redis.call('SMEMBERS', @userKey)) do
          ended = ended + redis.call('DEL', @prefix .. idHash)
        end
        redis.call('DEL', @userKey)
        return ended
        """);

    private readonly RedisStoreConnection _redis;
    private readonly TimeProvider _time;

    public RedisSessionStore(RedisStoreConnection redis, TimeProvider time)
    {
        _redis = redis;
        _time = time;
    }

    public async ValueTask<StoredSession?> GetAsync(string idHash, CancellationToken cancellationToken)
    {
        var value = await _redis.RunAsync(db => db.StringGetAsync(KeyPrefix + idHash), cancellationToken);
        return value.IsNull || Decode(idHash, value) is not { } session || session.ExpiresAt <= _time.GetUtcNow() ? null : session;
    }

    public async ValueTask SaveAsync(StoredSession session, CancellationToken cancellationToken)
    {
        var ttl = (long)(session.ExpiresAt - _time.GetUtcNow()).TotalMilliseconds;
        if (ttl <= 0)
        {
            return;
        }

        var value = JsonSerializer.SerializeToUtf8Bytes(new StoredForm(session.UserId, session.ExpiresAt.ToUnixTimeMilliseconds(), session.Sealed));
        await _redis.RunAsync(db => db.ScriptEvaluateAsync(s_save, new
        {
            key = (RedisKey)(KeyPrefix + session.IdHash),
            userKey = (RedisKey)UserKey(session.UserId),
            value = (RedisValue)value,
            ttl,
            idHash = session.IdHash,
        }), cancellationToken);
    }

    public async ValueTask<bool> DeleteAsync(string idHash, CancellationToken cancellationToken) =>
        await _redis.RunAsync(db => db.KeyDeleteAsync(KeyPrefix + idHash), cancellationToken);

    public async ValueTask<int> DeleteUserAsync(string userId, CancellationToken cancellationToken)
    {
        var ended = await _redis.RunAsync(db => db.ScriptEvaluateAsync(s_deleteUser, new
        {
            userKey = (RedisKey)UserKey(userId),
            prefix = KeyPrefix,
        }), cancellationToken);
        return (int)ended;
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => _redis.CountKeysAsync(KeyPrefix + "*", cancellationToken);

    private static string UserKey(string userId) => UserKeyPrefix + KeyRing.Hash(userId);

    private static StoredSession? Decode(string idHash, RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredForm>((byte[])value!) is { UserId: { } user, Sealed: { } sealedPayload } form
                ? new StoredSession(idHash, user, DateTimeOffset.FromUnixTimeMilliseconds(form.ExpiresMs), sealedPayload)
                : null;
        }
        catch (JsonException)
        {
            // Not ours (or damaged): no session, as if the key were absent.
            return null;
        }
    }

    /// <summary>The value under a session key: who, until when, and the sealed payload.</summary>
    private sealed record StoredForm(string? UserId, long ExpiresMs, byte[]? Sealed);
}
