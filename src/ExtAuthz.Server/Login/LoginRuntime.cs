using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Login;

/// <summary>
/// Our own login as the Check handler uses it: <see cref="Probe"/> on every Check (a warm session costs one cache
/// lookup), <see cref="LoadAsync"/> for a session this replica has not seen, <see cref="HandleAsync"/> for the login
/// paths, and <see cref="Upstream"/> on every allow (our cookies out of the upstream <c>cookie</c> header, and the ID
/// token in when <c>Login:ForwardIdToken</c> is on). Ends sessions on logout and on <c>revoke --user</c>.
/// </summary>
internal sealed class LoginRuntime : IDisposable
{
    private readonly LoginFlow _flow;
    private readonly UpstreamCookies _ourCookies;
    private readonly Func<string, string> _filter;
    private readonly RevocationService _revocations;
    private readonly ILogger _logger;
    private readonly HttpClient _http;

    public LoginRuntime(ExtAuthzOptions options, IdentityRuntime identity, ISessionStore sessionStore, ILoginStateStore stateStore,
        HeaderSlots slots, RevocationService revocations, TimeProvider time, ILogger<LoginRuntime> logger, HttpClient? http = null,
        IRefreshLock? refreshLock = null)
    {
        var settings = LoginSettings.From(options);
        var ring = string.IsNullOrEmpty(options.Login.KeyRingFile) ? KeyRing.Random() : KeyRing.Parse(File.ReadAllText(options.Login.KeyRingFile));
        var issuer = identity.Authenticator.Issuers.First(v => v.Settings.Issuer == settings.Issuer);
        _http = http ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = settings.TokenTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var provider = new OidcClient(_http, settings, time);
        var idTokens = new IdTokenValidator(issuer, settings.ClientId);
        Sessions = new Sessions(settings, ring, sessionStore, time, provider, idTokens, refreshLock);
        States = stateStore;
        _revocations = revocations;
        _logger = logger;
        _flow = new LoginFlow(settings, ring, Sessions, stateStore, provider, idTokens, time, slots.SlotOf("sec-fetch-site"), SessionEnded);
        _ourCookies = new UpstreamCookies(settings.SessionCookie, settings.BindingCookie);
        _filter = _ourCookies.Filter;
        revocations.Revoked += OnRevoked;
        LoginLog.Enabled(logger, settings.Issuer, settings.ClientId, settings.Prefix, sessionStore.GetType().Name, ring.Count,
            string.IsNullOrEmpty(options.Login.KeyRingFile) ? " (random, made at start: sessions end on restart)" : string.Empty);
    }

    public Sessions Sessions { get; }

    public ILoginStateStore States { get; }

    /// <summary>The header names the request reader must keep for login (beside the cookie, which is always kept).</summary>
    public static IEnumerable<string> Headers(ExtAuthzOptions options) => options.Login.IsOidcEnabled() ? ["sec-fetch-site"] : [];

    /// <inheritdoc cref="Sessions.Probe"/>
    public string? Probe(CheckInput input) => Sessions.Probe(input);

    public ValueTask LoadAsync(CheckInput input, string cookie, CancellationToken cancellationToken) => Sessions.LoadAsync(input, cookie, cancellationToken);

    public async Task<LoginAnswer> HandleAsync(CheckInput input, CancellationToken cancellationToken)
    {
        var answer = await _flow.HandleAsync(input, cancellationToken);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var path = PathOnly(input.Path);
            var reason = answer.Reason.ToWire();
            var user = answer.Principal?.UserId;
            if (answer.Status is 200 or 302 && answer.Reason == ReasonCode.LoginFlow)
            {
                LoginLog.Answered(_logger, path, answer.Status, reason, answer.Detail, user);
            }
            else
            {
                LoginLog.Refused(_logger, path, answer.Status, reason, answer.Detail);
            }
        }

        return answer;
    }

    /// <summary>The allow as sent upstream: our cookies removed from <c>cookie</c>, and the ID token when forwarding is on.</summary>
    public Decision Upstream(in Decision decision, CheckInput input)
    {
        if (!decision.Allowed)
        {
            return decision;
        }

        var session = input.Session as SessionEntry;
        string? cookie = null;
        if (input.GetHeader(HeaderSlots.Cookie) is { } header && _ourCookies.MayContainOurs(header))
        {
            cookie = session is not null ? session.UpstreamCookie(header, _filter) : _ourCookies.Filter(header);
        }

        var authorization = session is not null && ReferenceEquals(decision.Principal, session.Principal) ? session.ForwardAuthorization : null;
        return cookie is null && authorization is null ? decision : decision with { UpstreamCookie = cookie, UpstreamAuthorization = authorization };
    }

    public void Dispose()
    {
        _revocations.Revoked -= OnRevoked;
        _http.Dispose();
    }

    /// <summary>Logout: the session is gone here; a revocation of it reaches every other replica's warm cache.</summary>
    private void SessionEnded(Principal principal) =>
        _revocations.Revoke(Revocations.ForToken(principal, _revocations.Now, _revocations.MaxTokenLifetime));

    /// <summary><c>revoke --user</c>: the revocation refuses the user's sessions everywhere; the store forgets them too.</summary>
    private void OnRevoked(RevocationEntry entry)
    {
        if (entry.Kind != RevocationKind.User)
        {
            return;
        }

        _ = EndUserAsync(entry.Subject);
    }

    private async Task EndUserAsync(string user)
    {
        try
        {
            var count = await Sessions.EndUserAsync(user, CancellationToken.None);
            LoginLog.UserSessionsEnded(_logger, user, count);
        }
        catch (Exception ex) when (ex is LoginStoreUnavailableException or OperationCanceledException)
        {
            LoginLog.UserSessionsNotEnded(_logger, user, ex.Message);
        }
    }

    private static string PathOnly(string target)
    {
        var mark = target.IndexOf('?');
        return mark < 0 ? target : target[..mark];
    }
}
