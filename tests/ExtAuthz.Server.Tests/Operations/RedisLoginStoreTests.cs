using System.Text;
using ExtAuthz.Core.Login;
using ExtAuthz.Redis;
using ExtAuthz.Server.Tests.Operations.Support;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>
/// The login's Redis stores against a real redis-server: sessions by id hash with a TTL, ended one by one or per user;
/// login attempts single-use (two replicas racing for one callback: one wins), bounded per browser, with a TTL; the
/// refresh lock held by one replica at a time; and Redis gone: every call fails fast with the store's own exception.
/// </summary>
public sealed class RedisLoginStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private RedisServer _redis = null!;
    private RedisStoreConnection _a = null!;
    private RedisStoreConnection _b = null!;
    private ConnectionMultiplexer _inspect = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _a = Connect();
        _b = Connect();
        _inspect = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        await WaitUntilAsync(() => _a.IsConnected && _b.IsConnected, "both store connections are up");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _inspect.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Session_SavedOnOneReplica_ReadOnTheOtherUnderItsHashWithATtl()
    {
        var session = Session("hash-1", "alice@example.com", TimeSpan.FromHours(24));

        await Sessions(_a).SaveAsync(session, default);
        var read = await Sessions(_b).GetAsync("hash-1", default);

        Assert.NotNull(read);
        Assert.Equal(session.UserId, read.UserId);
        Assert.Equal(session.Sealed, read.Sealed);
        Assert.Equal(session.ExpiresAt.ToUnixTimeMilliseconds(), read.ExpiresAt.ToUnixTimeMilliseconds());
        var ttl = await Db.KeyTimeToLiveAsync(RedisSessionStore.KeyPrefix + "hash-1");
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        Assert.Null(await Sessions(_b).GetAsync("hash-2", default));
    }

    [Fact]
    public async Task Session_Deleted_GoneForEveryReplica()
    {
        await Sessions(_a).SaveAsync(Session("hash-1", "alice@example.com", TimeSpan.FromHours(1)), default);

        Assert.True(await Sessions(_b).DeleteAsync("hash-1", default));
        Assert.False(await Sessions(_a).DeleteAsync("hash-1", default));
        Assert.Null(await Sessions(_a).GetAsync("hash-1", default));
    }

    [Fact]
    public async Task DeleteUser_EndsThatUsersSessionsOnly()
    {
        var store = Sessions(_a);
        await store.SaveAsync(Session("a-1", "alice@example.com", TimeSpan.FromHours(1)), default);
        await store.SaveAsync(Session("a-2", "alice@example.com", TimeSpan.FromHours(2)), default);
        await store.SaveAsync(Session("b-1", "bob@example.com", TimeSpan.FromHours(1)), default);

        var ended = await Sessions(_b).DeleteUserAsync("alice@example.com", default);

        Assert.Equal(2, ended);
        Assert.Null(await store.GetAsync("a-1", default));
        Assert.Null(await store.GetAsync("a-2", default));
        Assert.NotNull(await store.GetAsync("b-1", default));
        Assert.Equal(1, await store.CountAsync(default));
    }

    [Fact]
    public async Task Session_GarbageUnderItsKey_NoSession()
    {
        await Db.StringSetAsync(RedisSessionStore.KeyPrefix + "hash-1", "not json");

        Assert.Null(await Sessions(_a).GetAsync("hash-1", default));
    }

    [Fact]
    public async Task LoginState_TakenOnce_EvenByTwoReplicasRacing()
    {
        await States(_a).PutAsync(Attempt("state-1", "browser-1"), maxPerBrowser: 10, default);

        var racing = await Task.WhenAll(States(_a).TakeAsync("state-1", default).AsTask(), States(_b).TakeAsync("state-1", default).AsTask());

        Assert.Single(racing, a => a is not null);
        Assert.Equal([1, 2, 3], racing.Single(a => a is not null)!.Sealed);
        Assert.Null(await States(_a).TakeAsync("state-1", default));
        Assert.Equal(0, await States(_b).CountAsync(default));
    }

    [Fact]
    public async Task LoginState_StoredWithItsTenMinuteTtl()
    {
        await States(_a).PutAsync(Attempt("state-1", "browser-1"), maxPerBrowser: 10, default);

        var ttl = await Db.KeyTimeToLiveAsync(RedisLoginStateStore.KeyPrefix + "state-1");

        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task LoginState_MoreThanTheBoundFromOneBrowser_OldestDropped()
    {
        var store = States(_a);
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            await store.PutAsync(Attempt("s-" + i, "browser-1", start.AddMilliseconds(i)), maxPerBrowser: 3, default);
        }

        await store.PutAsync(Attempt("other", "browser-2", start), maxPerBrowser: 3, default);

        Assert.Null(await store.TakeAsync("s-0", default));
        Assert.Null(await store.TakeAsync("s-1", default));
        Assert.NotNull(await store.TakeAsync("s-2", default));
        Assert.NotNull(await store.TakeAsync("s-4", default));
        Assert.NotNull(await store.TakeAsync("other", default));
        Assert.Equal(1, await store.CountAsync(default));
    }

    [Fact]
    public async Task RefreshLock_HeldByOneReplicaAtATime()
    {
        var a = new RedisRefreshLock(_a);
        var b = new RedisRefreshLock(_b);

        var held = await a.TryAcquireAsync("hash-1", TimeSpan.FromMinutes(1), default);
        var refused = await b.TryAcquireAsync("hash-1", TimeSpan.FromMinutes(1), default);
        var otherSession = await b.TryAcquireAsync("hash-2", TimeSpan.FromMinutes(1), default);
        await held!.DisposeAsync();
        var afterRelease = await b.TryAcquireAsync("hash-1", TimeSpan.FromMinutes(1), default);

        Assert.Null(refused);
        Assert.NotNull(otherSession);
        Assert.NotNull(afterRelease);
    }

    [Fact]
    public async Task RefreshLock_HolderThatNeverReleases_FreedAtExpiry()
    {
        var a = new RedisRefreshLock(_a);
        var b = new RedisRefreshLock(_b);
        Assert.NotNull(await a.TryAcquireAsync("hash-1", TimeSpan.FromMilliseconds(300), default));

        RedisRefreshLockHold? taken = null;
        await WaitUntilAsync(async () => (taken = await b.TryAcquireAsync("hash-1", TimeSpan.FromMinutes(1), default)) is not null, "the expired hold frees the lock");

        // The first holder's late release must not free the second holder's lock.
        Assert.Null(await a.TryAcquireAsync("hash-1", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task RedisDown_EveryCallFailsWithTheStoreException()
    {
        await _redis.KillAsync();
        await WaitUntilAsync(() => !_a.IsConnected, "the connection sees Redis gone");

        await Assert.ThrowsAsync<LoginStoreUnavailableException>(async () => await Sessions(_a).GetAsync("hash-1", default));
        await Assert.ThrowsAsync<LoginStoreUnavailableException>(async () => await Sessions(_a).SaveAsync(Session("hash-1", "alice@example.com", TimeSpan.FromHours(1)), default));
        await Assert.ThrowsAsync<LoginStoreUnavailableException>(async () => await States(_a).PutAsync(Attempt("state-1", "browser-1"), 10, default));
        await Assert.ThrowsAsync<LoginStoreUnavailableException>(async () => await States(_a).TakeAsync("state-1", default));
        await Assert.ThrowsAsync<LoginStoreUnavailableException>(async () => await new RedisRefreshLock(_a).TryAcquireAsync("hash-1", TimeSpan.FromSeconds(5), default));

        await _redis.StartAgainAsync();
        await WaitUntilAsync(() => _a.IsConnected, "the connection returns");
        await Sessions(_a).SaveAsync(Session("hash-1", "alice@example.com", TimeSpan.FromHours(1)), default);
        Assert.NotNull(await Sessions(_a).GetAsync("hash-1", default));
    }

    private IDatabase Db => _inspect.GetDatabase();

    // Generous: a loaded test machine can take longer than the production bound over a first script load. The bound's
    // purpose, failing at once while Redis is away, is what RedisDown_EveryCallFailsWithTheStoreException checks.
    private RedisStoreConnection Connect() =>
        new(_redis.Configuration, TimeSpan.FromSeconds(5), NullLogger<RedisStoreConnection>.Instance);

    private static RedisSessionStore Sessions(RedisStoreConnection redis) => new(redis, TimeProvider.System);

    private static RedisLoginStateStore States(RedisStoreConnection redis) => new(redis, TimeProvider.System);

    private static StoredSession Session(string idHash, string user, TimeSpan lifetime) =>
        new(idHash, user, DateTimeOffset.UtcNow + lifetime, Encoding.UTF8.GetBytes("sealed " + idHash));

    private static PendingLogin Attempt(string stateHash, string bindingHash, DateTimeOffset? created = null)
    {
        var at = created ?? DateTimeOffset.UtcNow;
        return new PendingLogin(stateHash, bindingHash, at, at + TimeSpan.FromMinutes(10), [1, 2, 3]);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Poll.UntilAsync(condition, what, Deadline);
}
