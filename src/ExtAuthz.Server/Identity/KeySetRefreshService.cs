using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Identity;

/// <summary>
/// The one writer of every issuer's key set. Each issuer's loop fetches at start (in the background: the service
/// starts and serves whether or not a provider answers), then on the provider's schedule, or sooner when a request
/// saw an unknown <c>kid</c> — but never twice within <c>Identity:KeyRefreshMinInterval</c>. Failures back off and
/// keep the last good key set.
/// </summary>
internal sealed class KeySetRefreshService : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly IdentityRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minInterval;
    private readonly ILogger<KeySetRefreshService> _logger;

    public KeySetRefreshService(IdentityRuntime runtime, ExtAuthzOptions options, TimeProvider time, ILogger<KeySetRefreshService> logger)
    {
        _runtime = runtime;
        _time = time;
        _minInterval = options.Identity.KeyRefreshMinInterval;
        _logger = logger;
        foreach (var issuer in runtime.Keys)
        {
            issuer.KeysWithdrawn += (keys, count) => IdentityLog.KeysWithdrawn(_logger, keys.Issuer, count);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_runtime.Keys.Where(k => !k.IsStatic).Select(k => RunAsync(k, stoppingToken)));

    private async Task RunAsync(IssuerKeys keys, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                keys.BeginAttempt(_time.GetUtcNow());
                var result = await FetchAsync(keys, stoppingToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                failures = result.Succeeded ? 0 : failures + 1;
                var wait = result.Succeeded ? result.RefreshAfter : Backoff(failures);
                keys.Apply(result, now, now + wait);
                Report(keys, result, wait);

                await WaitForNextAsync(keys, now + wait, stoppingToken).ConfigureAwait(false);
                if (keys.LastAttempt is { } last && last + _minInterval - _time.GetUtcNow() is { Ticks: > 0 } hold)
                {
                    await Task.Delay(hold, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<KeySetFetchResult> FetchAsync(IssuerKeys keys, CancellationToken stoppingToken)
    {
        try
        {
            return await _runtime.Fetcher.FetchAsync(keys.Settings, keys.JwksUri, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            return KeySetFetchResult.Fail($"{ex.GetType().Name}: {ex.Message}", keys.JwksUri);
        }
    }

    /// <summary>Until the scheduled time, or earlier if a request asked for a refresh.</summary>
    private async Task WaitForNextAsync(IssuerKeys keys, DateTimeOffset next, CancellationToken stoppingToken)
    {
        var requested = keys.RefreshRequested;
        var delay = next - _time.GetUtcNow();
        if (requested.IsCompleted || delay <= TimeSpan.Zero)
        {
            return;
        }

        using var cancelTimer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(delay, _time, cancelTimer.Token);
        await Task.WhenAny(requested, timer).ConfigureAwait(false);
        await cancelTimer.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>The minimum interval, doubling per consecutive failure, up to a minute (or the minimum if larger).</summary>
    private TimeSpan Backoff(int failures)
    {
        var cap = _minInterval > MaxBackoff ? _minInterval : MaxBackoff;
        var backoff = _minInterval * Math.Pow(2, Math.Min(failures - 1, 16));
        return backoff > cap ? cap : backoff;
    }

    private void Report(IssuerKeys keys, KeySetFetchResult result, TimeSpan wait)
    {
        var current = keys.Current;
        if (result.Succeeded)
        {
            if (!_logger.IsEnabled(LogLevel.Information))
            {
                return;
            }

            var keyIds = string.Join(",", current?.Keys.Select(k => k.KeyId ?? "(none)") ?? []);
            IdentityLog.KeySetLoaded(_logger, keys.Issuer, current?.Keys.Count ?? 0, keyIds, result.JwksUri, wait);
        }
        else if (current is not null)
        {
            IdentityLog.KeySetStale(_logger, keys.Issuer, result.Error, current.Keys.Count, wait);
        }
        else
        {
            IdentityLog.KeySetUnavailable(_logger, keys.Issuer, result.Error, wait);
        }
    }
}
