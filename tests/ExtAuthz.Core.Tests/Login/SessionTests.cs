using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Login;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>Sessions after a login: the cookie, the warm and cold paths, tampering, expiry, idle time, fixation, keys.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task Callback_Success_SessionCookieCarriesOnlyIdAndMacWithHostAttributes()
    {
        using var bed = LoginTestBed.Create();
        var attempt = await bed.StartAsync(rd: "/jupyter/?ns=alice");
        bed.Issue(attempt);

        var answer = await bed.SendAsync(bed.Callback(attempt));

        Assert.Equal((302, "login_flow"), (answer.Status, answer.Reason.ToWire()));
        Assert.Equal("/jupyter/?ns=alice", LoginTestBed.Header(answer, "location"));
        var cookie = Assert.Single(LoginTestBed.Headers(answer, "set-cookie"));
        Assert.Matches(@"^__Host-extauthz-session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Max-Age=86400; Path=/; Secure; HttpOnly; SameSite=Lax$", cookie);
        Assert.Equal(0, bed.StateCount);
        Assert.Equal(1, bed.SessionCount);
        var request = Assert.Single(bed.Provider.TokenRequests);
        Assert.Equal("/oauth2/callback", request["redirect_uri"]);
        Assert.Equal("S256", attempt.Query["code_challenge_method"]);
        Assert.Equal("openid email profile groups", attempt.Query["scope"]);
    }

    [Fact]
    public async Task Probe_KnownCookie_ColdOnceThenWarmWithoutStore()
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();

        var otherReplica = new Sessions(bed.Settings, bed.Ring, bed.SessionStore, bed.Identity.Time);

        var first = bed.Request("/notebook/alice/", cookie, mode: "cors");
        var cold = otherReplica.Probe(first);
        Assert.NotNull(cold);
        await otherReplica.LoadAsync(first, cold!, CancellationToken.None);
        var session = Assert.IsType<SessionEntry>(first.Session);
        Assert.Equal(("alice@example.com", "team-a,team-b"), (session.Principal.UserId, session.Principal.GroupsHeaderValue));

        var second = bed.Request("/notebook/alice/", "theme=dark; " + cookie, mode: "cors");
        Assert.Null(otherReplica.Probe(second));
        Assert.Same(session, second.Session);
    }

    [Fact]
    public async Task Probe_AfterCacheTtl_ReadsTheStoreAgain()
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();
        bed.Identity.Time.Advance(TimeSpan.FromSeconds(31));

        Assert.NotNull(bed.Sessions.Probe(bed.Request("/", cookie)));
    }

    public static TheoryData<string, string> BadCookies => new()
    {
        { "tampered id", "tamper-id" },
        { "tampered mac", "tamper-mac" },
        { "garbage", "garbage" },
        { "unknown id with a valid shape", "unknown" },
        { "ended session", "ended" },
        { "expired session", "expired" },
        { "idle session", "idle" },
        { "sealed with a retired key", "retired" },
    };

    [Theory]
    [MemberData(nameof(BadCookies))]
    public async Task Load_BadCookie_RefusedWithReason(string name, string kind)
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();
        var value = cookie[(cookie.IndexOf('=') + 1)..];
        var expected = kind is "expired" or "idle" ? ReasonCode.SessionExpired : ReasonCode.InvalidSession;
        var input = bed.Request("/notebook/alice/", kind switch
        {
            "tamper-id" => cookie.Replace(value[..2], value[..2] == "AA" ? "BB" : "AA", StringComparison.Ordinal),
            "tamper-mac" => cookie[..^2] + (cookie[^2..] == "AA" ? "BB" : "AA"),
            "garbage" => bed.Settings.SessionCookie + "=<script>",
            "unknown" => bed.Settings.SessionCookie + "=" + new string('A', 43) + "." + new string('A', 43),
            _ => cookie,
        });
        if (kind == "ended")
        {
            await bed.SendAsync(bed.Request(bed.Settings.SignOutPath, cookie, site: "same-origin"));
        }
        else if (kind == "expired")
        {
            bed.Identity.Time.Advance(TimeSpan.FromHours(24));
        }
        else if (kind == "idle")
        {
            bed.Identity.Time.Advance(TimeSpan.FromHours(8));
        }

        var fresh = kind == "retired" ? LoginTestBed.Create() : null;
        var sessions = fresh is null ? bed.Sessions : new Sessions(bed.Settings, KeyRing.Random(), bed.SessionStore, bed.Identity.Time);
        await sessions.LoadAsync(input, sessions.Probe(input) ?? string.Empty, CancellationToken.None);

        var refusal = input.Session;
        Assert.NotNull(refusal);
        Assert.IsNotType<SessionEntry>(refusal);
        Assert.Equal(expected, new SessionAuthenticator(Core.Identity.NoIssuerAuthenticator.Instance).Authenticate(input).Failure);
        Assert.True(name.Length > 0);
        fresh?.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Callback_PresetSessionCookie_NewSessionIdMinted(bool presetIsAValidSession)
    {
        using var bed = LoginTestBed.Create();
        var preset = presetIsAValidSession
            ? await bed.LogInAsync(browser: LoginTestBed.BrowserB)
            : bed.Settings.SessionCookie + "=" + new string('A', 43) + "." + new string('A', 43);
        var sessionsBefore = bed.SessionCount;

        var attempt = await bed.StartAsync();
        bed.Issue(attempt);
        var answer = await bed.SendAsync(bed.Callback(attempt, cookie: attempt.Cookie + "; " + preset));

        var set = LoginTestBed.Header(answer, "set-cookie")!;
        Assert.StartsWith(bed.Settings.SessionCookie + "=", set);
        Assert.DoesNotContain(preset[(preset.IndexOf('=') + 1)..], set);
        Assert.Equal(sessionsBefore + 1, bed.SessionCount);
    }

    [Fact]
    public async Task Start_ValidSessionAlready_RedirectsBackWithoutState()
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();

        var answer = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2Fkfp%2F", cookie));

        Assert.Equal((302, "/kfp/"), (answer.Status, LoginTestBed.Header(answer, "location")));
        Assert.Equal(0, bed.StateCount);
    }

    [Fact]
    public void KeyRing_Rotation_FirstSignsAllVerify()
    {
        var oldKey = "old:" + Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray());
        var newKey = "new:" + Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 100)).ToArray());
        var before = KeyRing.Parse(oldKey);
        var during = KeyRing.Parse(newKey + "\n" + oldKey);
        var after = KeyRing.Parse(newKey);
        var mac = before.Sign("p", [1, 2, 3]);
        var sealedBytes = before.Seal("s", [9], [4, 5, 6]);

        Assert.True(during.Verify("p", [1, 2, 3], mac));
        Assert.Equal([4, 5, 6], during.Open("s", [9], sealedBytes));
        Assert.False(after.Verify("p", [1, 2, 3], mac));
        Assert.Null(after.Open("s", [9], sealedBytes));
        Assert.Null(during.Open("s", [8], sealedBytes));
        Assert.False(during.Verify("q", [1, 2, 3], mac));
    }

    [Fact]
    public async Task Load_StoreDownAfterCacheTtl_WarmSessionKeepsWorkingNewOnesRefused()
    {
        var store = new SwitchableStore(new InMemorySessionStore(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero))));
        using var bed = LoginTestBed.Create(sessions: store);
        var known = await bed.LogInAsync();
        var otherReplica = new Sessions(bed.Settings, bed.Ring, store, bed.Identity.Time);
        bed.Identity.Time.Advance(TimeSpan.FromMinutes(1));
        store.Down = true;

        var warm = bed.Request("/", known, mode: "cors");
        await bed.Sessions.LoadAsync(warm, bed.Sessions.Probe(warm)!, CancellationToken.None);
        var cold = bed.Request("/", known, mode: "cors");
        await otherReplica.LoadAsync(cold, otherReplica.Probe(cold)!, CancellationToken.None);

        Assert.IsType<SessionEntry>(warm.Session);
        Assert.Equal(ReasonCode.LoginUnavailable, new SessionAuthenticator(Core.Identity.NoIssuerAuthenticator.Instance).Authenticate(cold).Failure);
    }

    [Fact]
    public async Task Decide_UserRevokedAfterLogin_SessionRefused()
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();
        var revocations = new Core.Identity.RevocationSet();
        var index = Core.Decisions.DecisionPipeline.CreateIndex(bed.Identity.Options.Policy, bed.Identity.Time);
        var authorizer = Core.Decisions.DecisionPipeline.Build(bed.Identity.Options, bed.Identity.Authenticator, index, revocations).Authorizer;
        bed.Identity.Time.Advance(TimeSpan.FromSeconds(5));
        revocations.Add(Core.Identity.Revocations.ForUser("alice@example.com", bed.Identity.Time.GetUtcNow(), TimeSpan.FromHours(24)));

        var input = bed.Request("/jupyter/api/namespaces/alice/notebooks", cookie, mode: "cors");
        Assert.Null(bed.Sessions.Probe(input));

        Assert.Equal((401, ReasonCode.TokenRevoked), (authorizer.Decide(input).HttpStatus, authorizer.Decide(input).Reason));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment")]
    [InlineData("short:AAAA")]
    [InlineData("not base64 !!!")]
    public void KeyRing_BadFile_FormatError(string text) => Assert.Throws<FormatException>(() => KeyRing.Parse(text));
}

/// <summary>A session store that can be switched off, as Redis going away.</summary>
internal sealed class SwitchableStore(ISessionStore inner) : ISessionStore
{
    public bool Down { get; set; }

    public ValueTask<StoredSession?> GetAsync(string idHash, CancellationToken cancellationToken) => Down ? throw Unavailable() : inner.GetAsync(idHash, cancellationToken);

    public ValueTask SaveAsync(StoredSession session, CancellationToken cancellationToken) => Down ? throw Unavailable() : inner.SaveAsync(session, cancellationToken);

    public ValueTask<bool> DeleteAsync(string idHash, CancellationToken cancellationToken) => Down ? throw Unavailable() : inner.DeleteAsync(idHash, cancellationToken);

    public ValueTask<int> DeleteUserAsync(string userId, CancellationToken cancellationToken) => Down ? throw Unavailable() : inner.DeleteUserAsync(userId, cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

    private static LoginStoreUnavailableException Unavailable() => new("session store: connection refused");
}
