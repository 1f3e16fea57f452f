using System.Collections.Concurrent;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ExtAuthz.Redis;

/// <summary>
/// Shares revocations between replicas: each is stored in one Redis hash and announced on a pub/sub channel; every
/// replica adds what it hears to its own in-memory <see cref="RevocationSet"/>, so a Check never waits on Redis.
/// While Redis is down, revocations are accepted locally and queued; when it returns, the queue is sent and the
/// replica reconciles (pushes what it holds, reads what others stored), which also refills a Redis that restarted empty.
/// One background loop is the only writer to Redis.
/// </summary>
public sealed class RedisRevocationReplication : IRevocationReplication, IHostedService, IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly RevocationSet _set;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<RevocationEntry> _pending = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly RedisChannel _channel;
    private readonly RedisKey _key;
    private ConnectionMultiplexer? _redis;
    private Task? _loop;
    private volatile bool _reconcile = true;
    private volatile bool _subscribed;
    private volatile string? _lastError;
    private string? _lastLogged;
    private long _lastSyncUnixMs = -1;
    private int _disposed;

    public RedisRevocationReplication(RedisOptions options, RevocationSet set, TimeProvider time, ILogger<RedisRevocationReplication> logger)
    {
        _options = options;
        _set = set;
        _time = time;
        _logger = logger;
        _channel = RedisChannel.Literal(options.Channel);
        _key = new RedisKey(options.Key);
    }

    public bool IsConnected => _subscribed && _redis?.IsConnected == true;

    public int PendingCount => _pending.Count;

    public void Publish(RevocationEntry entry)
    {
        _pending.Enqueue(entry);
        _wake.Release();
    }

    public object Describe() => new
    {
        connected = IsConnected,
        pending = PendingCount,
        lastSync = Volatile.Read(ref _lastSyncUnixMs) is var ms and >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null,
        lastError = _lastError,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Connecting happens in the loop: a Redis that is down never delays start-up.
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container may hand this out under several service types and dispose it for each.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _stopping.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                _redis ??= await ConnectAsync();
                if (!_redis.IsConnected && await RedisFailure.UnresolvedAsync(_redis.GetEndPoints(), stopping) is { } unresolved)
                {
                    // Said at once: subscribing would otherwise wait for the library's own timeout before anything shows.
                    throw new RedisException(unresolved);
                }

                if (!_subscribed)
                {
                    await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message));
                    _subscribed = true;
                    _reconcile = true;
                    // Endpoints only: the configuration string may hold a password.
                    RedisLog.Connected(_logger, string.Join(',', _redis.GetEndPoints().Select(e => e.ToString())));
                }

                await FlushPendingAsync(_redis.GetDatabase());
                if (_reconcile)
                {
                    _reconcile = false;
                    await ReconcileAsync(_redis.GetDatabase());
                }

                if (!_redis.IsConnected)
                {
                    // Commands queue while disconnected, so nothing above failed: say so instead of reporting a sync.
                    throw new RedisException($"not connected to {string.Join(',', _redis.GetEndPoints().Select(e => e.ToString()))}");
                }

                _lastError = null;
                _lastLogged = null;
                Volatile.Write(ref _lastSyncUnixMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
                await WaitAsync(_options.ResyncInterval, resync: true, stopping);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException && !stopping.IsCancellationRequested)
            {
                // One short line, and again only when the reason changes: an outage is a state, not a stream of events.
                var reason = RedisFailure.Short(ex);
                _lastError = reason;
                if (reason != _lastLogged)
                {
                    _lastLogged = reason;
                    RedisLog.SyncFailed(_logger, _pending.Count, reason);
                }

                await WaitAsync(TimeSpan.FromSeconds(1), resync: false, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(_options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.ReconnectRetryPolicy ??= new ExponentialRetry(500, 10_000);
        configuration.ClientName ??= "extauthz";
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        redis.ConnectionFailed += (_, e) =>
        {
            _lastError = e.Exception is { } failure ? $"{e.FailureType}: {RedisFailure.Short(failure)}" : e.FailureType.ToString();
            RedisLog.ConnectionLost(_logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
        };
        redis.ConnectionRestored += (_, _) =>
        {
            // Messages sent while we were away are lost (pub/sub keeps nothing): read the stored set again.
            _reconcile = true;
            _wake.Release();
        };
        return redis;
    }

    /// <summary>Stores then announces each queued revocation; one that fails stays first in the queue.</summary>
    private async Task FlushPendingAsync(IDatabase db)
    {
        while (_pending.TryPeek(out var entry))
        {
            var json = RevocationJson.Serialize(entry);
            await db.HashSetAsync(_key, entry.Key, json);
            await db.PublishAsync(_channel, json);
            _pending.TryDequeue(out _);
        }
    }

    /// <summary>Pushes every entry this replica holds (a restarted Redis is empty), then takes what others stored.</summary>
    private async Task ReconcileAsync(IDatabase db)
    {
        var now = _time.GetUtcNow();
        var stored = await db.HashGetAllAsync(_key);
        var known = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var received = 0;
        var expired = new List<RedisValue>();
        foreach (var field in stored)
        {
            var entry = RevocationJson.TryDeserialize(field.Value.ToString());
            if (entry is null || entry.ExpiresAt <= now)
            {
                expired.Add(field.Name);
                continue;
            }

            known[entry.Key] = entry.RevokedAt;
            if (_set.Add(entry))
            {
                received++;
            }
        }

        if (expired.Count > 0)
        {
            await db.HashDeleteAsync(_key, [.. expired]);
        }

        // What Redis lacks, or holds in an older form (an earlier revocation of the same user).
        var missing = _set.Entries.Where(e => e.ExpiresAt > now && (!known.TryGetValue(e.Key, out var storedAt) || storedAt < e.RevokedAt))
            .Select(e => new HashEntry(e.Key, RevocationJson.Serialize(e))).ToArray();
        if (missing.Length > 0)
        {
            await db.HashSetAsync(_key, missing);
        }

        if (received + missing.Length + expired.Count > 0)
        {
            RedisLog.Reconciled(_logger, received, missing.Length, expired.Count);
        }
    }

    private void OnMessage(RedisValue message)
    {
        var entry = RevocationJson.TryDeserialize(message.ToString());
        if (entry is null)
        {
            RedisLog.StrayMessage(_logger);
            return;
        }

        _set.Add(entry);
    }

    /// <summary>Sleeps until a revocation is queued, Redis comes back, or the interval passes (then a resync is due).</summary>
    private async Task WaitAsync(TimeSpan interval, bool resync, CancellationToken stopping)
    {
        using var timer = new CancellationTokenSource(interval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
        try
        {
            await _wake.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            _reconcile |= resync;
        }
    }
}
