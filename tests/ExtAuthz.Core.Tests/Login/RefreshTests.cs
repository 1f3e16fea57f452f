using System.Net;
using ExtAuthz.Core.Login;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>Optional refresh (<c>offline_access</c>): one refresh per session at a time in a process; a refused grant ends it.</summary>
public sealed class RefreshTests
{
    [Fact]
    public async Task Load_TwoChecksOfADueSession_OneRefreshBothServed()
    {
        using var bed = LoginTestBed.Create(o => o.Login.Oidc.Scopes = ["openid", "email", "groups", "offline_access"]);
        bed.Provider.RefreshToken = "rt-1";
        var cookie = await bed.LogInAsync(change: c => c["exp"] = bed.Identity.Now + 600);
        var refreshed = bed.Identity.DexToken(c => c["exp"] = bed.Identity.Now + 3600);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        bed.Provider.OnRefresh = async ct =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task.WaitAsync(ct);
            return FakeProvider.Answer(HttpStatusCode.OK, $"{{\"token_type\":\"Bearer\",\"id_token\":\"{refreshed}\",\"refresh_token\":\"rt-2\"}}");
        };
        bed.Identity.Time.Advance(TimeSpan.FromMinutes(6));

        var first = bed.Request("/", cookie, mode: "cors");
        var second = bed.Request("/", cookie, mode: "cors");
        var loads = new[] { first, second }.Select(i => bed.Sessions.LoadAsync(i, bed.Sessions.Probe(i)!, CancellationToken.None).AsTask()).ToArray();
        gate.SetResult();
        await Task.WhenAll(loads);

        Assert.Equal(1, calls);
        Assert.IsType<SessionEntry>(first.Session);
        Assert.IsType<SessionEntry>(second.Session);
        var stored = (await bed.SessionStore.GetAsync(((SessionEntry)first.Session!).IdHash, CancellationToken.None))!;
        Assert.Contains(refreshed, System.Text.Encoding.UTF8.GetString(bed.Ring.Open("session", System.Text.Encoding.ASCII.GetBytes(cookie.Split('=')[1].Split('.')[0]), stored.Sealed)!));
    }

    [Fact]
    public async Task Load_RefreshRefusedAndIdTokenExpired_SessionEnds()
    {
        using var bed = LoginTestBed.Create(o => o.Login.Oidc.Scopes = ["openid", "email", "groups", "offline_access"]);
        bed.Provider.RefreshToken = "rt-1";
        var cookie = await bed.LogInAsync(change: c => c["exp"] = bed.Identity.Now + 600);
        bed.Identity.Time.Advance(TimeSpan.FromMinutes(11));

        var input = bed.Request("/", cookie, mode: "cors");
        await bed.Sessions.LoadAsync(input, bed.Sessions.Probe(input)!, CancellationToken.None);

        Assert.Equal(Core.Decisions.ReasonCode.SessionExpired, new SessionAuthenticator(Core.Identity.NoIssuerAuthenticator.Instance).Authenticate(input).Failure);
    }

    /// <summary>Another replica holds the session's refresh lock: this one calls no provider and serves the session as it is.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Load_DueSessionWithRefreshLock_RefreshesOnlyWhileHoldingIt(bool lockFree)
    {
        var refreshLock = new ScriptedRefreshLock(lockFree);
        using var bed = LoginTestBed.Create(o => o.Login.Oidc.Scopes = ["openid", "email", "groups", "offline_access"], refreshLock: refreshLock);
        bed.Provider.RefreshToken = "rt-1";
        var cookie = await bed.LogInAsync(change: c => c["exp"] = bed.Identity.Now + 600);
        var refreshed = bed.Identity.DexToken(c => c["exp"] = bed.Identity.Now + 3600);
        var calls = 0;
        bed.Provider.OnRefresh = _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(FakeProvider.Answer(HttpStatusCode.OK, $"{{\"token_type\":\"Bearer\",\"id_token\":\"{refreshed}\",\"refresh_token\":\"rt-2\"}}"));
        };
        bed.Identity.Time.Advance(TimeSpan.FromMinutes(6));

        var input = bed.Request("/", cookie, mode: "cors");
        await bed.Sessions.LoadAsync(input, bed.Sessions.Probe(input)!, CancellationToken.None);

        Assert.IsType<SessionEntry>(input.Session);
        Assert.Equal((lockFree ? 1 : 0, 1, lockFree ? 1 : 0), (calls, refreshLock.Asked, refreshLock.Released));
    }

    private sealed class ScriptedRefreshLock(bool free) : IRefreshLock
    {
        public int Asked;
        public int Released;

        public ValueTask<IAsyncDisposable?> TryAcquireAsync(string idHash, TimeSpan hold, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Asked);
            return ValueTask.FromResult<IAsyncDisposable?>(free ? new Hold(this) : null);
        }

        private sealed class Hold(ScriptedRefreshLock owner) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                Interlocked.Increment(ref owner.Released);
                return ValueTask.CompletedTask;
            }
        }
    }
}
