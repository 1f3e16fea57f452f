namespace ExtAuthz.Core.Login;

/// <summary>
/// Pending login attempts in this process: the single-replica default. One lock guards it; it is touched only by
/// <c>/oauth2/start</c> and <c>/oauth2/callback</c>, never by an ordinary Check. Bounded per browser (the oldest
/// attempt of a browser goes first) and in total (<paramref name="maxTotal"/>: the oldest attempt overall goes first).
/// </summary>
public sealed class InMemoryLoginStateStore : ILoginStateStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PendingLogin> _attempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PendingLogin>> _byBrowser = new(StringComparer.Ordinal);
    private readonly Queue<PendingLogin> _arrivals = new();
    private readonly TimeProvider _time;
    private readonly int _maxTotal;

    public InMemoryLoginStateStore(TimeProvider time, int maxTotal = 100_000)
    {
        _time = time;
        _maxTotal = maxTotal;
    }

    public ValueTask PutAsync(PendingLogin attempt, int maxPerBrowser, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            DropStaleArrivals(now);
            if (!_byBrowser.TryGetValue(attempt.BindingHash, out var browser))
            {
                browser = [];
                _byBrowser[attempt.BindingHash] = browser;
            }

            browser.RemoveAll(a => a.ExpiresAt <= now || !IsHeld(a));
            while (browser.Count >= Math.Max(1, maxPerBrowser))
            {
                Remove(browser[0]);
            }

            while (_attempts.Count >= _maxTotal && _arrivals.TryDequeue(out var oldest))
            {
                Remove(oldest);
            }

            _attempts[attempt.StateHash] = attempt;
            _byBrowser[attempt.BindingHash].Add(attempt);
            _arrivals.Enqueue(attempt);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<PendingLogin?> TakeAsync(string stateHash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_attempts.TryGetValue(stateHash, out var attempt))
            {
                return ValueTask.FromResult<PendingLogin?>(null);
            }

            Remove(attempt);
            return ValueTask.FromResult(attempt.ExpiresAt > _time.GetUtcNow() ? attempt : null);
        }
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            DropStaleArrivals(_time.GetUtcNow());
            return ValueTask.FromResult((long)_attempts.Count);
        }
    }

    private bool IsHeld(PendingLogin attempt) =>
        _attempts.TryGetValue(attempt.StateHash, out var held) && ReferenceEquals(held, attempt);

    /// <summary>Arrivals are in time order: the front is expired or already taken until the first live one.</summary>
    private void DropStaleArrivals(DateTimeOffset now)
    {
        while (_arrivals.TryPeek(out var first) && (first.ExpiresAt <= now || !IsHeld(first)))
        {
            _arrivals.Dequeue();
            Remove(first);
        }
    }

    private void Remove(PendingLogin attempt)
    {
        if (IsHeld(attempt))
        {
            _attempts.Remove(attempt.StateHash);
        }

        if (_byBrowser.TryGetValue(attempt.BindingHash, out var browser))
        {
            browser.Remove(attempt);
            if (browser.Count == 0)
            {
                _byBrowser.Remove(attempt.BindingHash);
            }
        }
    }
}
