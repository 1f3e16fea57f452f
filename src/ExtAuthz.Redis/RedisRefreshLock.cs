using System.Security.Cryptography;
using StackExchange.Redis;

namespace ExtAuthz.Redis;

/// <summary>
/// One refresh of a session at a time across replicas (Dex refuses a refresh token used twice after 3 s): a lock
/// <c>extauthz:refresh-lock:&lt;id hash&gt;</c> taken with SET NX PX, so a replica that dies holding it frees it at
/// expiry, and released only by its holder (compare-and-delete), never by a replica whose hold already expired.
/// </summary>
public sealed class RedisRefreshLock : Core.Login.IRefreshLock
{
    public const string KeyPrefix = "extauthz:refresh-lock:";

    private static readonly LuaScript s_release = LuaScript.Prepare("""
        if redis.call('GET', @key) == @token then return redis.call('DEL', @key) end
        return 0
        """);

    private readonly RedisStoreConnection _redis;

    public RedisRefreshLock(RedisStoreConnection redis) => _redis = redis;

    /// <summary>A held lock, or null when another replica holds it. Throws <c>LoginStoreUnavailableException</c> when Redis cannot say.</summary>
    public async ValueTask<RedisRefreshLockHold?> TryAcquireAsync(string idHash, TimeSpan hold, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var key = KeyPrefix + idHash;
        var taken = await _redis.RunAsync(db => db.StringSetAsync(key, token, hold, When.NotExists), cancellationToken);
        return taken ? new RedisRefreshLockHold(this, key, token) : null;
    }

    async ValueTask<IAsyncDisposable?> Core.Login.IRefreshLock.TryAcquireAsync(string idHash, TimeSpan hold, CancellationToken cancellationToken) =>
        await TryAcquireAsync(idHash, hold, cancellationToken);

    internal async ValueTask ReleaseAsync(string key, string token)
    {
        try
        {
            await _redis.RunAsync(db => db.ScriptEvaluateAsync(s_release, new { key = (RedisKey)key, token = (RedisValue)token }), CancellationToken.None);
        }
        catch (Core.Login.LoginStoreUnavailableException)
        {
            // The hold expires by itself.
        }
    }
}
