using System.Text.Json;
using ExtAuthz.Core.Login;
using StackExchange.Redis;

namespace ExtAuthz.Redis;

/// <summary>
/// Pending login attempts shared by every replica, so any replica can finish a flow another started:
/// <c>extauthz:login:&lt;state hash&gt;</c> holds one sealed attempt with a TTL to its expiry and is taken with GETDEL
/// (single use, atomic); <c>extauthz:login-browser:&lt;binding hash&gt;</c> orders a browser's attempts by start time so
/// a new one drops that browser's oldest beyond the bound, in the same script. One round trip per call.
/// </summary>
public sealed class RedisLoginStateStore : ILoginStateStore
{
    public const string KeyPrefix = "extauthz:login:";
    public const string BrowserKeyPrefix = "extauthz:login-browser:";

    // Forgets the browser's attempts that expired or were taken, drops its oldest beyond the bound, then stores the new one.
    private static readonly LuaScript s_put = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @browserKey, '-inf', @now - @ttl)
        for _, stateHash in ipairs(redis.call('ZRANGE', @browserKey, 0, -1)) do
          if redis.call('EXISTS', @prefix .. stateHash) == 0 then redis.call('ZREM', @browserKey, stateHash) end
        end
        local excess = redis.call('ZCARD', @browserKey) - tonumber(@max) + 1
        if excess > 0 then
          for _, stateHash in ipairs(redis.call('ZRANGE', @browserKey, 0, excess - 1)) do
            redis.call('DEL', @prefix .. stateHash)
            redis.call('ZREM', @browserKey, stateHash)
          end
        end
        redis.call('SET', @key, @value, 'PX', @ttl)
        redis.call('ZADD', @browserKey, @created, @stateHash)
        redis.call('PEXPIRE', @browserKey, @ttl)
        return 1
        """);

    private readonly RedisStoreConnection _redis;
    private readonly TimeProvider _time;

    public RedisLoginStateStore(RedisStoreConnection redis, TimeProvider time)
    {
        _redis = redis;
        _time = time;
    }

    public async ValueTask PutAsync(PendingLogin attempt, int maxPerBrowser, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var ttl = (long)(attempt.ExpiresAt - now).TotalMilliseconds;
        if (ttl <= 0)
        {
            return;
        }

        var value = JsonSerializer.SerializeToUtf8Bytes(new StoredForm(attempt.BindingHash, attempt.CreatedAt.ToUnixTimeMilliseconds(),
            attempt.ExpiresAt.ToUnixTimeMilliseconds(), attempt.Sealed));
        await _redis.RunAsync(db => db.ScriptEvaluateAsync(s_put, new
        {
            key = (RedisKey)(KeyPrefix + attempt.StateHash),
            browserKey = (RedisKey)(BrowserKeyPrefix + attempt.BindingHash),
            prefix = KeyPrefix,
            value = (RedisValue)value,
            ttl,
            now = now.ToUnixTimeMilliseconds(),
            created = attempt.CreatedAt.ToUnixTimeMilliseconds(),
            max = Math.Max(1, maxPerBrowser),
            stateHash = attempt.StateHash,
        }), cancellationToken);
    }

    public async ValueTask<PendingLogin?> TakeAsync(string stateHash, CancellationToken cancellationToken)
    {
        var value = await _redis.RunAsync(db => db.StringGetDeleteAsync(KeyPrefix + stateHash), cancellationToken);
        if (value.IsNull)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StoredForm>((byte[])value!) is { BindingHash: { } binding, Sealed: { } sealedPayload } form
                && form.ExpiresMs > _time.GetUtcNow().ToUnixTimeMilliseconds()
                ? new PendingLogin(stateHash, binding, DateTimeOffset.FromUnixTimeMilliseconds(form.CreatedMs),
                    DateTimeOffset.FromUnixTimeMilliseconds(form.ExpiresMs), sealedPayload)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => _redis.CountKeysAsync(KeyPrefix + "*", cancellationToken);

    /// <summary>The value under an attempt key.</summary>
    private sealed record StoredForm(string? BindingHash, long CreatedMs, long ExpiresMs, byte[]? Sealed);
}
