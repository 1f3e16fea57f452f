namespace ExtAuthz.Core.Identity;

/// <summary>
/// An issuer's current key set and its refresh state. Requests only read <see cref="Current"/> and may ask for a
/// refresh (an unknown <c>kid</c>) without waiting; one background writer fetches and publishes. A failed fetch never
/// replaces the last good key set.
/// </summary>
internal sealed class IssuerKeys
{
    private readonly object _stateLock = new();
    private volatile KeySet? _current;
    private int _refreshPending;
    private TaskCompletionSource _refreshSignal = NewSignal();
    private TaskCompletionSource _attemptDone = NewSignal();
    private KeySetState _state;
    private string? _lastError;
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastAttempt;
    private DateTimeOffset? _nextRefresh;
    private string? _jwksUri;
    private long _attempts;
    private long _failures;
    private long _refreshRequests;

    public IssuerKeys(IssuerSettings settings)
    {
        Settings = settings;
        _jwksUri = settings.JwksUri;
        _state = KeySetState.Loading;
    }

    /// <summary>A key set that never changes and is never fetched.</summary>
    public IssuerKeys(IssuerSettings settings, KeySet fixedKeys)
    {
        Settings = settings;
        _current = fixedKeys;
        _state = KeySetState.Static;
        _lastSuccess = fixedKeys.FetchedAt;
    }

    public IssuerSettings Settings { get; }

    public string Issuer => Settings.Issuer;

    /// <summary>The key set in force, or null before the first successful fetch.</summary>
    public KeySet? Current => _current;

    public bool IsStatic => _state == KeySetState.Static;

    /// <summary>The key-set URL found by discovery (or configured); discovery runs again when it is null.</summary>
    public string? JwksUri
    {
        get
        {
            lock (_stateLock)
            {
                return _jwksUri;
            }
        }
    }

    /// <summary>Completes when someone asks for a refresh; the refresher awaits it between scheduled fetches.</summary>
    public Task RefreshRequested => Volatile.Read(ref _refreshSignal).Task;

    /// <summary>Completes after the next fetch attempt has been applied (for the refresher's observers and tests).</summary>
    public Task NextAttemptApplied => Volatile.Read(ref _attemptDone).Task;

    public DateTimeOffset? LastAttempt
    {
        get
        {
            lock (_stateLock)
            {
                return _lastAttempt;
            }
        }
    }

    /// <summary>Raised by the writer with the keys a refresh withdrew, so cached tokens they signed can go.</summary>
    public event Action<IssuerKeys, int>? KeysWithdrawn;

    /// <summary>Hot path (unknown kid, no keys yet): ask the refresher for a fetch. Never blocks; repeated asks coalesce.</summary>
    public void RequestRefresh()
    {
        if (Volatile.Read(ref _refreshPending) != 0 || _state == KeySetState.Static)
        {
            return;
        }

        if (Interlocked.Exchange(ref _refreshPending, 1) == 0)
        {
            Interlocked.Increment(ref _refreshRequests);
            Volatile.Read(ref _refreshSignal).TrySetResult();
        }
    }

    /// <summary>The refresher is about to fetch: requests made from now on ask for the fetch after this one.</summary>
    public void BeginAttempt(DateTimeOffset now)
    {
        Volatile.Write(ref _refreshSignal, NewSignal());
        Volatile.Write(ref _refreshPending, 0);
        lock (_stateLock)
        {
            _lastAttempt = now;
            _attempts++;
        }
    }

    /// <summary>Publishes a fetch: new keys replace the set (withdrawing keys no longer listed); a failure keeps it.</summary>
    public void Apply(KeySetFetchResult result, DateTimeOffset now, DateTimeOffset nextRefresh)
    {
        var withdrawn = 0;
        lock (_stateLock)
        {
            _nextRefresh = nextRefresh;
            if (Settings.JwksUri is null)
            {
                // A failure may mean the key-set URL moved: discover again next time.
                _jwksUri = result.Succeeded ? result.JwksUri : null;
            }

            if (result.Keys is { } keys)
            {
                _current = KeySet.Merge(_current, keys, now, out withdrawn);
                _state = KeySetState.Loaded;
                _lastSuccess = now;
                _lastError = null;
            }
            else
            {
                _failures++;
                _lastError = result.Error;
                _state = _current is null ? KeySetState.Unavailable : KeySetState.Stale;
            }
        }

        if (withdrawn > 0)
        {
            KeysWithdrawn?.Invoke(this, withdrawn);
        }

        Interlocked.Exchange(ref _attemptDone, NewSignal()).TrySetResult();
    }

    public KeySetStatus Status()
    {
        lock (_stateLock)
        {
            var current = _current;
            return new KeySetStatus(
                Issuer, _state.ToString().ToLowerInvariant(), current?.Keys.Count ?? 0,
                current?.Keys.Select(k => k.KeyId ?? "(none)").ToArray() ?? [],
                _jwksUri, _lastSuccess, _lastAttempt, _nextRefresh, _lastError, _attempts, _failures,
                Interlocked.Read(ref _refreshRequests));
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An issuer's key-set state for <c>/readyz</c> (serialised as JSON).</summary>
internal sealed record KeySetStatus(
    string Issuer, string State, int Keys, string[] KeyIds, string? JwksUri, DateTimeOffset? LastSuccess,
    DateTimeOffset? LastAttempt, DateTimeOffset? NextRefresh, string? LastError, long Fetches, long Failures,
    long RefreshRequests);
