using ExtAuthz.Core.Login;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ExtAuthz.Redis;

/// <summary>
/// The Redis connection of the login stores: opened in the background at start (a Redis that is down never delays
/// start-up), reconnected by the client, and failing fast while disconnected: a command is never queued for later,
/// so a login store call answers or fails within its bound and the login path can say 503 at once.
/// </summary>
public sealed class RedisStoreConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;
    private readonly TimeSpan _timeout;
    private int _disposed;

    /// <param name="timeout">The longest one store call may take (<c>Login:StoreTimeout</c>).</param>
    public RedisStoreConnection(string configurationString, TimeSpan timeout, ILogger<RedisStoreConnection> logger)
    {
        _timeout = timeout;
        var configuration = ConfigurationOptions.Parse(configurationString);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy ??= new ExponentialRetry(250, 5_000);
        configuration.ClientName ??= "extauthz-login";
        var timeoutMs = (int)Math.Max(50, timeout.TotalMilliseconds);
        configuration.AsyncTimeout = timeoutMs;
        configuration.SyncTimeout = timeoutMs;
        configuration.ConnectTimeout = Math.Max(configuration.ConnectTimeout, 1_000);
        _connecting = Task.Run(async () =>
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
            redis.ConnectionFailed += (_, e) => RedisLog.StoreConnectionLost(logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
            redis.ConnectionRestored += (_, e) => RedisLog.StoreConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
            return redis;
        });
    }

    public bool IsConnected => _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected;

    /// <summary>
    /// Runs one store operation within <c>Redis:StoreTimeout</c> (and the caller's token); any Redis failure, a
    /// connection that is not there, or no answer in time becomes <see cref="LoginStoreUnavailableException"/>.
    /// </summary>
    public async ValueTask<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(_timeout);
            var redis = await _connecting.WaitAsync(bound.Token);
            if (!redis.IsConnected)
            {
                throw new LoginStoreUnavailableException("Redis is not connected");
            }

            return await operation(redis.GetDatabase()).WaitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoginStoreUnavailableException($"Redis gave no answer within {_timeout.TotalMilliseconds:F0} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw new LoginStoreUnavailableException("Redis: " + ex.Message, ex);
        }
    }

    /// <summary>Every key under <paramref name="pattern"/> on every primary, counted (tests and metrics; never on a Check).</summary>
    public ValueTask<long> CountKeysAsync(string pattern, CancellationToken cancellationToken) =>
        RunAsync(async db =>
        {
            long count = 0;
            foreach (var endpoint in db.Multiplexer.GetEndPoints())
            {
                var server = db.Multiplexer.GetServer(endpoint);
                if (server.IsConnected && !server.IsReplica)
                {
                    await foreach (var _ in server.KeysAsync(db.Database, pattern, pageSize: 1000))
                    {
                        count++;
                    }
                }
            }

            return count;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await (await _connecting).DisposeAsync();
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // Never connected: nothing to close.
        }
    }
}
