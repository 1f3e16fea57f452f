using System.Net;
using System.Text.Json.Nodes;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Login;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>
/// Every bad input at the callback, as data: each gets its status and reason code, no session is created, the
/// attempt is not left behind for a second try, and the detail (what the log line shows) carries no secret.
/// </summary>
public sealed class CallbackBadInputTests
{
    private static readonly Dictionary<string, Func<LoginTestBed, Task<Core.Requests.CheckInput>>> s_cases = new()
    {
        ["state forged"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            bed.Issue(attempt);
            var forged = "X" + attempt.State[1..];
            return bed.Callback(attempt, state: forged);
        },
        ["state from another deployment"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            bed.Issue(attempt);
            var other = LoginStateForeign(attempt.State);
            return bed.Callback(attempt, state: other);
        },
        ["state missing"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            bed.Issue(attempt);
            return bed.Request($"{bed.Settings.CallbackPath}?code=good-code", attempt.Cookie);
        },
        ["state given twice"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            bed.Issue(attempt);
            return bed.Request($"{bed.Settings.CallbackPath}?code=good-code&state={Uri.EscapeDataString(attempt.State)}&state=x", attempt.Cookie);
        },
        ["state of another browser"] = async bed =>
        {
            var attempt = await bed.StartAsync(browser: LoginTestBed.BrowserA);
            bed.Issue(attempt);
            return bed.Callback(attempt, cookie: $"{bed.Settings.BindingCookie}={LoginTestBed.BrowserB}");
        },
        ["state of another browser after a restart"] = async bed =>
        {
            // A restarted attempt whose binding still does not match is refused: no redirect loop.
            var first = await bed.StartAsync(browser: LoginTestBed.BrowserA);
            var restart = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2F&retry=1", first.Cookie));
            var state = Uri.UnescapeDataString(LoginTestBed.Header(restart, "location")!.Split("state=")[1].Split('&')[0]);
            var attempt = first with { State = state };
            bed.Issue(attempt);
            return bed.Callback(attempt, cookie: $"{bed.Settings.BindingCookie}={LoginTestBed.BrowserB}");
        },
        ["no binding cookie"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            bed.Issue(attempt);
            return bed.Callback(attempt, cookie: "theme=dark");
        },
        ["state replayed after a restart"] = async bed =>
        {
            // A restarted attempt that is lost again is not restarted a second time: no redirect loop.
            var first = await bed.StartAsync();
            var restart = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2F&retry=1", first.Cookie));
            var state = Uri.UnescapeDataString(LoginTestBed.Header(restart, "location")!.Split("state=")[1].Split('&')[0]);
            var attempt = first with { State = state };
            await bed.StateStore.TakeAsync(KeyRing.Hash(state), CancellationToken.None);
            return bed.Callback(attempt);
        },
        ["state expired after a restart"] = async bed =>
        {
            var first = await bed.StartAsync();
            var restart = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2F&retry=1", first.Cookie));
            var state = Uri.UnescapeDataString(LoginTestBed.Header(restart, "location")!.Split("state=")[1].Split('&')[0]);
            bed.Identity.Time.Advance(TimeSpan.FromMinutes(11));
            return bed.Callback(first with { State = state });
        },
        ["provider error"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            return bed.Request($"{bed.Settings.CallbackPath}?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state={Uri.EscapeDataString(attempt.State)}", attempt.Cookie);
        },
        ["no code"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            return bed.Request($"{bed.Settings.CallbackPath}?state={Uri.EscapeDataString(attempt.State)}", attempt.Cookie);
        },
        ["POST callback"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            bed.Issue(attempt);
            var input = bed.Callback(attempt);
            input.Method = "POST";
            return input;
        },
        ["id token with another nonce"] = async bed => await IssuedWith(bed, c => c["nonce"] = "not-the-nonce"),
        ["id token without nonce"] = async bed => await IssuedWith(bed, c => c.Remove("nonce")),
        ["id token for another audience"] = async bed => await IssuedWith(bed, c => c["aud"] = "someone-else"),
        ["id token for several audiences without azp"] = async bed => await IssuedWith(bed, c => c["aud"] = new JsonArray("kubeflow-oidc-authservice", "other")),
        ["id token with a foreign azp"] = async bed => await IssuedWith(bed, c => c["azp"] = "other"),
        ["id token from another issuer"] = async bed => await IssuedWith(bed, c => c["iss"] = "https://evil.example.com"),
        ["id token expired"] = async bed => await IssuedWith(bed, c => c["exp"] = bed.Identity.Now - 3600),
        ["id token with alg none"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            var claims = bed.Identity.DexClaims();
            claims["nonce"] = attempt.Nonce;
            bed.Provider.Issue("good-code", TestJwt.SignRaw("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims.ToJsonString(), null), attempt.Challenge);
            return bed.Callback(attempt);
        },
        ["id token signed HS256 with the public key"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            var claims = bed.Identity.DexClaims();
            claims["nonce"] = attempt.Nonce;
            var token = TestJwt.SignRaw("{\"alg\":\"HS256\",\"kid\":\"dex-1\"}", claims.ToJsonString(), TestJwt.Hmac(bed.Identity.DexKey.PublicKeyBytes));
            bed.Provider.Issue("good-code", token, attempt.Challenge);
            return bed.Callback(attempt);
        },
        ["id token signed by an impostor key"] = async bed =>
        {
            var attempt = await bed.StartAsync();
            var claims = bed.Identity.DexClaims();
            claims["nonce"] = attempt.Nonce;
            bed.Provider.Issue("good-code", TestJwt.Sign(Identity.IdentityTestBed.Impostor, claims), attempt.Challenge);
            return bed.Callback(attempt);
        },
        ["code reused"] = async bed =>
        {
            await bed.LogInAsync();
            var again = await bed.StartAsync();
            return bed.Callback(again, code: "good-code");
        },
        ["code unknown"] = async bed => bed.Callback(await bed.StartAsync(), code: "made-up"),
        ["token endpoint down"] = async bed => await Failing(bed, _ => throw new HttpRequestException("Connection refused", null, null)),
        ["token endpoint slow"] = async bed => await Failing(bed, async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return FakeProvider.Answer(HttpStatusCode.OK, "{}");
        }),
        ["token endpoint answers HTML"] = async bed => await Failing(bed, _ => Task.FromResult(FakeProvider.Answer(HttpStatusCode.OK, "<html>hi</html>", "text/html"))),
        ["token endpoint answers 500"] = async bed => await Failing(bed, _ => Task.FromResult(FakeProvider.Answer(HttpStatusCode.InternalServerError, "oops", "text/plain"))),
        ["token endpoint answers without id_token"] = async bed => await Failing(bed, _ => Task.FromResult(FakeProvider.Answer(HttpStatusCode.OK, "{\"access_token\":\"x\",\"token_type\":\"Bearer\"}"))),
        ["token endpoint answers a JSON array"] = async bed => await Failing(bed, _ => Task.FromResult(FakeProvider.Answer(HttpStatusCode.OK, "[1,2]"))),
        ["token endpoint answers a huge body"] = async bed => await Failing(bed, _ => Task.FromResult(FakeProvider.Answer(HttpStatusCode.OK, "{\"x\":\"" + new string('a', 400_000) + "\"}"))),
    };

    public static TheoryData<string, int, string, bool> Cases => new()
    {
        { "state forged", 400, "invalid_state", true },
        { "state from another deployment", 400, "invalid_state", true },
        { "state missing", 400, "invalid_state", true },
        { "state given twice", 400, "invalid_state", true },
        { "state of another browser", 302, "invalid_state", false },
        { "state of another browser after a restart", 400, "invalid_state", false },
        { "no binding cookie", 400, "invalid_state", true },
        { "state replayed after a restart", 400, "login_state_expired", true },
        { "state expired after a restart", 400, "login_state_expired", false },
        { "provider error", 403, "login_denied", false },
        { "no code", 400, "malformed_request", false },
        { "POST callback", 400, "malformed_request", true },
        { "id token with another nonce", 403, "invalid_id_token", false },
        { "id token without nonce", 403, "invalid_id_token", false },
        { "id token for another audience", 403, "invalid_id_token", false },
        { "id token for several audiences without azp", 403, "invalid_id_token", false },
        { "id token with a foreign azp", 403, "invalid_id_token", false },
        { "id token from another issuer", 403, "invalid_id_token", false },
        { "id token expired", 403, "invalid_id_token", false },
        { "id token with alg none", 403, "invalid_id_token", false },
        { "id token signed HS256 with the public key", 403, "invalid_id_token", false },
        { "id token signed by an impostor key", 403, "invalid_id_token", false },
        { "code reused", 502, "token_exchange_failed", false },
        { "code unknown", 502, "token_exchange_failed", false },
        { "token endpoint down", 502, "token_exchange_failed", false },
        { "token endpoint slow", 502, "token_exchange_failed", false },
        { "token endpoint answers HTML", 502, "token_exchange_failed", false },
        { "token endpoint answers 500", 502, "token_exchange_failed", false },
        { "token endpoint answers without id_token", 502, "token_exchange_failed", false },
        { "token endpoint answers a JSON array", 502, "token_exchange_failed", false },
        { "token endpoint answers a huge body", 502, "token_exchange_failed", false },
    };

    /// <param name="attemptKept">
    /// True when the bad callback consumes no attempt: it never reached one (which stays for the real callback), or
    /// there was none left to take.
    /// </param>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Callback_BadInput_AnsweredWithReasonAndNoSession(string name, int status, string reason, bool attemptKept)
    {
        using var bed = LoginTestBed.Create();
        var input = await s_cases[name](bed);
        var sessionsBefore = bed.SessionCount;
        var statesBefore = bed.StateCount;

        var answer = await bed.SendAsync(input);

        Assert.True((status, reason) == (answer.Status, answer.Reason.ToWire()), $"{answer.Status} {answer.Reason.ToWire()}: {answer.Detail}");
        Assert.Equal("no-store", LoginTestBed.Header(answer, "cache-control"));
        Assert.DoesNotContain(LoginTestBed.Headers(answer, "set-cookie"), c => c.StartsWith(bed.Settings.SessionCookie + "=", StringComparison.Ordinal) && !c.Contains("Max-Age=0"));
        Assert.Equal(sessionsBefore, bed.SessionCount);
        Assert.Equal(attemptKept ? statesBefore : Math.Max(0, statesBefore - 1), bed.StateCount);
        Assert.DoesNotContain("good-code", answer.Detail);
        Assert.DoesNotContain("eyJ", answer.Detail);
        Assert.DoesNotContain("<script>", answer.Body);
    }

    [Fact]
    public async Task Callback_LostAttempt_RestartsOnceToTheSamePage()
    {
        using var bed = LoginTestBed.Create();
        var attempt = await bed.StartAsync(rd: "/pipeline/runs?ns=alice");
        bed.Identity.Time.Advance(TimeSpan.FromMinutes(11));

        var answer = await bed.SendAsync(bed.Callback(attempt));

        Assert.Equal((302, "login_state_expired"), (answer.Status, answer.Reason.ToWire()));
        Assert.Equal("/oauth2/start?rd=%2Fpipeline%2Fruns%3Fns%3Dalice&retry=1", LoginTestBed.Header(answer, "location"));
    }

    [Fact]
    public async Task Callback_ReplayedState_RestartsWithoutASession()
    {
        using var bed = LoginTestBed.Create();
        var attempt = await bed.StartAsync(rd: "/jupyter/");
        bed.Issue(attempt);
        Assert.Equal(302, (await bed.SendAsync(bed.Callback(attempt))).Status);

        var replay = await bed.SendAsync(bed.Callback(attempt));

        Assert.Equal((302, "login_state_expired"), (replay.Status, replay.Reason.ToWire()));
        Assert.Equal("/oauth2/start?rd=%2Fjupyter%2F&retry=1", LoginTestBed.Header(replay, "location"));
        Assert.Empty(LoginTestBed.Headers(replay, "set-cookie"));
        Assert.Equal(1, bed.SessionCount);
    }

    [Fact]
    public async Task Callback_StoreDown_Answers503()
    {
        using var bed = LoginTestBed.Create(states: new DownStore());

        var answer = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2F", $"{bed.Settings.BindingCookie}={LoginTestBed.BrowserA}"));

        Assert.Equal((503, "login_unavailable"), (answer.Status, answer.Reason.ToWire()));
        Assert.Null(LoginTestBed.Header(answer, "location"));
    }

    private static async Task<Core.Requests.CheckInput> IssuedWith(LoginTestBed bed, Action<JsonObject> change)
    {
        var attempt = await bed.StartAsync();
        bed.Issue(attempt, change: change);
        return bed.Callback(attempt);
    }

    private static async Task<Core.Requests.CheckInput> Failing(LoginTestBed bed, Func<CancellationToken, Task<HttpResponseMessage>> answer)
    {
        var attempt = await bed.StartAsync();
        bed.Provider.Override = answer;
        return bed.Callback(attempt);
    }

    /// <summary>A state signed by another key ring (another deployment, or a guess): well formed, not ours.</summary>
    private static string LoginStateForeign(string state)
    {
        var parts = state.Split('.');
        return parts[0] + "." + parts[1] + "." + Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private sealed class DownStore : ILoginStateStore
    {
        public ValueTask PutAsync(PendingLogin attempt, int maxPerBrowser, CancellationToken cancellationToken) =>
            throw new LoginStoreUnavailableException("login-state store: connection refused");

        public ValueTask<PendingLogin?> TakeAsync(string stateHash, CancellationToken cancellationToken) =>
            throw new LoginStoreUnavailableException("login-state store: connection refused");

        public ValueTask<long> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult(0L);
    }
}
