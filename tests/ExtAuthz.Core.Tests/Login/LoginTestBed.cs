using System.Text.Json.Nodes;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using ExtAuthz.Core.Requests;
using ExtAuthz.Core.Tests.Identity;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>
/// Our own login against a Dex-shaped issuer (<see cref="IdentityTestBed"/>) and a <see cref="FakeProvider"/> token
/// endpoint, with in-memory stores on the test bed's fake clock. A test plays the browser: <see cref="StartAsync"/>,
/// then the provider's redirect back with <see cref="Callback"/>.
/// </summary>
internal sealed class LoginTestBed : IDisposable
{
    public const string BrowserA = "AAAAAAAAAAAAAAAAAAAAAA";
    public const string BrowserB = "BBBBBBBBBBBBBBBBBBBBBA";

    private LoginTestBed(IdentityTestBed identity, ISessionStore sessionStore, ILoginStateStore stateStore, IRefreshLock? refreshLock)
    {
        Identity = identity;
        var options = identity.Options;
        Slots = new HeaderSlots(IdentityRuntime.Sources(options).Select(s => s.HeaderName).Append("sec-fetch-site"));
        Settings = LoginSettings.From(options);
        Ring = KeyRing.Random();
        SessionStore = sessionStore;
        StateStore = stateStore;
        var validator = identity.Authenticator.Issuers.First(v => v.Settings.Issuer == IdentityTestBed.DexIssuer);
        var client = new OidcClient(new HttpClient(Provider), Settings, identity.Time);
        var idTokens = new IdTokenValidator(validator, Settings.ClientId);
        Sessions = new Sessions(Settings, Ring, sessionStore, identity.Time, client, idTokens, refreshLock);
        Flow = new LoginFlow(Settings, Ring, Sessions, stateStore, client, idTokens, identity.Time, Slots.SlotOf("sec-fetch-site"), Ended.Add);
    }

    public IdentityTestBed Identity { get; }

    public HeaderSlots Slots { get; }

    public LoginSettings Settings { get; }

    public KeyRing Ring { get; }

    public FakeProvider Provider { get; } = new();

    public ISessionStore SessionStore { get; }

    public ILoginStateStore StateStore { get; }

    public Sessions Sessions { get; }

    public LoginFlow Flow { get; }

    public List<Principal> Ended { get; } = [];

    public static LoginTestBed Create(Action<ExtAuthzOptions>? configure = null, ISessionStore? sessions = null, ILoginStateStore? states = null,
        IRefreshLock? refreshLock = null)
    {
        var identity = IdentityTestBed.Create(options =>
        {
            options.Login.Oidc.Issuer = IdentityTestBed.DexIssuer;
            options.Login.Oidc.ClientId = IdentityTestBed.DexAudience;
            options.Login.Oidc.ClientSecret = "s3cret";
            options.Login.Oidc.AuthorizationEndpoint = "https://dex.test/dex/auth";
            options.Login.Oidc.TokenEndpoint = FakeProvider.TokenUrl;
            options.Login.TokenTimeout = TimeSpan.FromMilliseconds(300);
            configure?.Invoke(options);
        });
        return new LoginTestBed(identity, sessions ?? new InMemorySessionStore(identity.Time), states ?? new InMemoryLoginStateStore(identity.Time), refreshLock);
    }

    /// <summary>A browser request: a top-level navigation unless told otherwise.</summary>
    public CheckInput Request(string target, string? cookie = null, string method = "GET", string? mode = "navigate", string? site = null,
        string accept = "text/html,application/xhtml+xml")
    {
        var input = new CheckInput(Slots) { HasHttp = true, Method = method, Path = target, Host = "kubeflow.example.com" };
        input.AddHeader(HeaderSlots.Accept, accept);
        if (mode is not null)
        {
            input.AddHeader(HeaderSlots.SecFetchMode, mode);
            input.AddHeader(HeaderSlots.SecFetchDest, mode == "navigate" ? "document" : "empty");
        }

        if (cookie is not null)
        {
            input.AddHeader(HeaderSlots.Cookie, cookie);
        }

        if (site is not null)
        {
            input.AddHeader(Slots.SlotOf("sec-fetch-site"), site);
        }

        return input;
    }

    public Task<LoginAnswer> SendAsync(CheckInput input) => Flow.HandleAsync(input, CancellationToken.None);

    /// <summary>Starts a login from <paramref name="browser"/>'s binding cookie; returns the provider's view of it.</summary>
    public async Task<Attempt> StartAsync(string rd = "/notebook/alice/nb/", string browser = BrowserA, string? extraCookie = null)
    {
        var cookie = $"{Settings.BindingCookie}={browser}" + (extraCookie is null ? string.Empty : "; " + extraCookie);
        var answer = await SendAsync(Request(Settings.StartPath + "?rd=" + Uri.EscapeDataString(rd), cookie));
        Assert.Equal(302, answer.Status);
        var location = Header(answer, "location")!;
        Assert.StartsWith("https://dex.test/dex/auth?", location);
        var query = location[(location.IndexOf('?') + 1)..].Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return new Attempt(query["state"], query["nonce"], query["code_challenge"], cookie, query);
    }

    /// <summary>The provider issues <paramref name="code"/> for this attempt with an ID token (changed by <paramref name="change"/>).</summary>
    public void Issue(Attempt attempt, string code = "good-code", Action<JsonObject>? change = null) =>
        Provider.Issue(code, Identity.DexToken(claims =>
        {
            claims["nonce"] = attempt.Nonce;
            change?.Invoke(claims);
        }), attempt.Challenge);

    public CheckInput Callback(Attempt attempt, string code = "good-code", string? state = null, string? cookie = null) =>
        Request($"{Settings.CallbackPath}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state ?? attempt.State)}", cookie ?? attempt.Cookie);

    /// <summary>A full login: start, provider, callback. Returns the session cookie pair ("name=value").</summary>
    public async Task<string> LogInAsync(string browser = BrowserA, Action<JsonObject>? change = null)
    {
        var attempt = await StartAsync(browser: browser);
        Issue(attempt, change: change);
        var answer = await SendAsync(Callback(attempt));
        Assert.True(answer.Status == 302, answer.Detail);
        var set = Header(answer, "set-cookie")!;
        return set[..set.IndexOf(';')];
    }

    public static string? Header(LoginAnswer answer, string name) =>
        answer.Headers.Where(h => h.Key == name).Select(h => h.Value).FirstOrDefault();

    public static IEnumerable<string> Headers(LoginAnswer answer, string name) =>
        answer.Headers.Where(h => h.Key == name).Select(h => h.Value);

    public long StateCount => StateStore.CountAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public long SessionCount => SessionStore.CountAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public void Dispose() => Identity.Dispose();

    internal sealed record Attempt(string State, string Nonce, string Challenge, string Cookie, Dictionary<string, string> Query);
}
