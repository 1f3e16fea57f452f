namespace ExtAuthz.Redis;

/// <summary>A lock this replica holds until disposed or until its hold expires.</summary>
public sealed class RedisRefreshLockHold : IAsyncDisposable
{
    private readonly RedisRefreshLock _owner;
    private readonly string _key;
    private readonly string _token;

    internal RedisRefreshLockHold(RedisRefreshLock owner, string key, string token)
    {
        _owner = owner;
        _key = key;
        _token = token;
    }

    public ValueTask DisposeAsync() => _owner.ReleaseAsync(_key, _token);
}
