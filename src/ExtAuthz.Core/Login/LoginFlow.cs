using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Login;

/// <summary>
/// The login paths, answered inside Check: <c>start</c> (a new attempt, 302 to the provider), <c>callback</c> (the
/// attempt checked and consumed, the code exchanged, the ID token validated, a new session, 302 back), <c>sign_out</c>
/// and <c>userinfo</c>. Every answer is a <see cref="LoginAnswer"/> (a denied response), never an exception; provider
/// and store calls are asynchronous and bounded, so a slow provider delays only the login that waits for it.
/// </summary>
internal sealed class LoginFlow
{
    private static readonly string[] s_sameSite = ["same-origin", "none"];

    private readonly LoginSettings _settings;
    private readonly KeyRing _ring;
    private readonly Sessions _sessions;
    private readonly ILoginStateStore _states;
    private readonly OidcClient _provider;
    private readonly IdTokenValidator _idTokens;
    private readonly TimeProvider _time;
    private readonly int _secFetchSiteSlot;
    private readonly Action<Principal>? _sessionEnded;

    public LoginFlow(LoginSettings settings, KeyRing ring, Sessions sessions, ILoginStateStore states, OidcClient provider,
        IdTokenValidator idTokens, TimeProvider time, int secFetchSiteSlot, Action<Principal>? sessionEnded)
    {
        _settings = settings;
        _ring = ring;
        _sessions = sessions;
        _states = states;
        _provider = provider;
        _idTokens = idTokens;
        _time = time;
        _secFetchSiteSlot = secFetchSiteSlot;
        _sessionEnded = sessionEnded;
    }

    public LoginSettings Settings => _settings;

    /// <summary>True when the normalised path is under the login prefix (the whole prefix is ours, never public).</summary>
    public bool Owns(ReadOnlySpan<char> normalizedPath) =>
        normalizedPath.StartsWith(_settings.Prefix, StringComparison.Ordinal)
        && (normalizedPath.Length == _settings.Prefix.Length || normalizedPath[_settings.Prefix.Length] == '/');

    public async Task<LoginAnswer> HandleAsync(CheckInput input, CancellationToken cancellationToken)
    {
        var path = PathNormalizer.Normalize(input.Path);
        var html = WantsHtml(input);
        if (path.IsAmbiguous)
        {
            return LoginPages.Error(400, ReasonCode.MalformedRequest, $"login path is ambiguous ({path.Problem})", html, null);
        }

        var query = LoginQuery.Parse(input.Path);
        try
        {
            var p = path.Path.Span;
            if (p.SequenceEqual(_settings.StartPath))
            {
                return await StartAsync(input, query, html, cancellationToken);
            }

            if (p.SequenceEqual(_settings.CallbackPath))
            {
                return await CallbackAsync(input, query, html, cancellationToken);
            }

            if (p.SequenceEqual(_settings.SignOutPath))
            {
                return await SignOutAsync(input, query, html, cancellationToken);
            }

            if (p.SequenceEqual(_settings.UserInfoPath))
            {
                return await UserInfoAsync(input, cancellationToken);
            }

            var notFound = LoginPages.Error(404, ReasonCode.UnknownRoute, "no such login path", html, null);
            return notFound;
        }
        catch (LoginStoreUnavailableException ex)
        {
            return LoginPages.Error(503, ReasonCode.LoginUnavailable, ex.Message, html, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A store or provider failing outside its contract: still an answer (Envoy would turn an RPC error into
            // its status_on_error), with the failure's type only, never its message.
            return LoginPages.Error(503, ReasonCode.LoginUnavailable, "login failed: " + ex.GetType().Name, html, null);
        }
    }

    private async Task<LoginAnswer> StartAsync(CheckInput input, LoginQuery query, bool html, CancellationToken cancellationToken)
    {
        var returnPath = ReturnPath.Safe(query.Get("rd"));
        if (input.Method is not ("GET" or "HEAD") || !LoginRedirect.IsPageNavigation(input))
        {
            // Only a navigation starts a login: a background request must never create state.
            return LoginPages.Error(401, ReasonCode.MissingToken, "login start that is not a page navigation", html: false, StartUrl(returnPath, false));
        }

        if (await _sessions.FindAsync(input, cancellationToken) is not null)
        {
            return LoginPages.Redirect(returnPath, "already signed in");
        }

        ProviderEndpoints endpoints;
        try
        {
            endpoints = await _provider.EndpointsAsync(cancellationToken);
        }
        catch (ProviderException ex)
        {
            return LoginPages.Error(503, ReasonCode.LoginUnavailable, ex.Detail, html, null);
        }

        var binding = ReadBinding(input) ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var state = LoginState.Create(_ring, returnPath, query.Get("retry") == "1");
        var secrets = LoginSecrets.Create();
        var now = _time.GetUtcNow();
        var attempt = new PendingLogin(KeyRing.Hash(state.Value), KeyRing.Hash(binding), now, now + _settings.StateLifetime, secrets.Seal(_ring, state.Value));
        using (var bound = Bound(cancellationToken))
        {
            try
            {
                await _states.PutAsync(attempt, _settings.MaxAttemptsPerBrowser, bound.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LoginStoreUnavailableException("login-state store: no answer in time");
            }
        }

        var location = new StringBuilder(endpoints.AuthorizationEndpoint)
            .Append(endpoints.AuthorizationEndpoint.Contains('?') ? '&' : '?')
            .Append("response_type=code")
            .Append("&client_id=").Append(Uri.EscapeDataString(_settings.ClientId))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(_settings.RedirectUri))
            .Append("&scope=").Append(Uri.EscapeDataString(_settings.Scope))
            .Append("&state=").Append(Uri.EscapeDataString(state.Value))
            .Append("&nonce=").Append(Uri.EscapeDataString(secrets.Nonce))
            .Append("&code_challenge=").Append(secrets.Challenge)
            .Append("&code_challenge_method=S256")
            .ToString();
        return LoginPages.Redirect(location, state.IsRestart ? "login restarted" : "login started")
            .With("set-cookie", LoginCookies.Set(_settings.BindingCookie, binding, TimeSpan.FromDays(30)));
    }

    private async Task<LoginAnswer> CallbackAsync(CheckInput input, LoginQuery query, bool html, CancellationToken cancellationToken)
    {
        if (input.Method != "GET")
        {
            return LoginPages.Error(400, ReasonCode.MalformedRequest, $"callback with method {DetailText.Safe(input.Method)}", html, StartUrl("/", false));
        }

        if (query.Repeated)
        {
            return LoginPages.Error(400, ReasonCode.InvalidState, "callback with a repeated parameter", html, StartUrl("/", false));
        }

        var state = LoginState.Parse(_ring, query.Get("state"));
        var retry = StartUrl(state?.ReturnPath ?? "/", false);
        if (query.Get("error") is { } error)
        {
            // The state of an error answer is still consumed, so the attempt cannot be finished later.
            if (state is not null)
            {
                using var bound = Bound(cancellationToken);
                await TakeAsync(state, bound.Token, cancellationToken);
            }

            return LoginPages.Error(403, ReasonCode.LoginDenied, $"provider answered error {DetailText.Safe(error)}", html, retry,
                "The identity provider did not sign you in: " + Shorten(query.Get("error_description") ?? error));
        }

        if (state is null)
        {
            return LoginPages.Error(400, ReasonCode.InvalidState, query.Has("state") ? "state forged or malformed" : "no state", html, retry);
        }

        if (ReadBinding(input) is not { } binding)
        {
            return LoginPages.Error(400, ReasonCode.InvalidState, "no browser-binding cookie (cookies blocked, or another browser)", html, retry);
        }

        PendingLogin? attempt;
        using (var bound = Bound(cancellationToken))
        {
            attempt = await TakeAsync(state, bound.Token, cancellationToken);
        }

        if (attempt is null)
        {
            // Expired, already used, or dropped for a newer one of this browser: restart once, cleanly, to the same page.
            return state.IsRestart || !LoginRedirect.IsPageNavigation(input)
                ? LoginPages.Error(400, ReasonCode.LoginStateExpired, "login attempt unknown, expired or already used", html, retry)
                : LoginPages.Redirect(StartUrl(state.ReturnPath, true), "login attempt lost; restarted", ReasonCode.LoginStateExpired);
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(attempt.BindingHash), Encoding.ASCII.GetBytes(KeyRing.Hash(binding))))
        {
            // Two tabs of a browser that had no binding cookie yet each got one, and the later replaced the earlier:
            // the earlier tab's attempt no longer matches. It is spent either way (never a session); a navigation
            // restarts once, now under the browser's one binding, so both tabs finish. A callback carried into
            // another browser (login CSRF) gains nothing from the restart: that browser signs in as its own user.
            return state.IsRestart || !LoginRedirect.IsPageNavigation(input)
                ? LoginPages.Error(400, ReasonCode.InvalidState, "state of another browser", html, retry)
                : LoginPages.Redirect(StartUrl(state.ReturnPath, true), "login attempt of another binding; restarted", ReasonCode.InvalidState);
        }

        if (LoginSecrets.Open(_ring, state.Value, attempt.Sealed) is not { } secrets)
        {
            return LoginPages.Error(400, ReasonCode.InvalidState, "login attempt does not open with the key ring", html, retry);
        }

        if (query.Get("code") is not { Length: > 0 and <= 4096 } code)
        {
            return LoginPages.Error(400, ReasonCode.MalformedRequest, "callback without a code", html, retry);
        }

        TokenResponse tokens;
        try
        {
            tokens = await _provider.ExchangeCodeAsync(code, secrets.Verifier, cancellationToken);
        }
        catch (ProviderException ex)
        {
            return LoginPages.Error(502, ReasonCode.TokenExchangeFailed, ex.Detail, html, retry);
        }

        var (principal, failure) = _idTokens.Validate(tokens.IdToken, secrets.Nonce);
        if (principal is null)
        {
            return LoginPages.Error(403, ReasonCode.InvalidIdToken, "id token: " + failure, html, retry);
        }

        var cookie = await _sessions.CreateAsync(principal, tokens, cancellationToken);
        return new LoginAnswer { Status = 302, Reason = ReasonCode.LoginFlow, Detail = "signed in", Principal = principal }
            .With("location", state.ReturnPath)
            .With("cache-control", "no-store")
            .With("set-cookie", LoginCookies.Set(_settings.SessionCookie, cookie, _settings.SessionLifetime));
    }

    private async Task<LoginAnswer> SignOutAsync(CheckInput input, LoginQuery query, bool html, CancellationToken cancellationToken)
    {
        if (input.Method is not ("GET" or "POST"))
        {
            return LoginPages.Error(400, ReasonCode.MalformedRequest, $"sign-out with method {DetailText.Safe(input.Method)}", html, null);
        }

        if (_secFetchSiteSlot >= 0 && input.GetHeader(_secFetchSiteSlot) is { } site && !s_sameSite.Contains(site.Trim().ToLowerInvariant()))
        {
            return LoginPages.Error(403, ReasonCode.CrossSite, $"sign-out from sec-fetch-site {DetailText.Safe(site)}", html, null);
        }

        SessionEntry? session = null;
        try
        {
            session = await _sessions.FindAsync(input, cancellationToken);
            if (session is not null)
            {
                await _sessions.EndAsync(session, cancellationToken);
            }
        }
        catch (LoginStoreUnavailableException)
        {
            // The revocation below still ends the session on every replica; the store forgets it at its TTL.
        }

        if (session is not null)
        {
            _sessionEnded?.Invoke(session.Principal);
        }

        var location = ReturnPath.Safe(query.Get("rd"));
        ProviderEndpoints? endpoints = null;
        try
        {
            endpoints = await _provider.EndpointsAsync(cancellationToken);
        }
        catch (ProviderException)
        {
            // Without discovery there is no end-session endpoint to visit: our session is gone, which is the logout.
        }

        if (endpoints?.EndSessionEndpoint is { } end)
        {
            var url = new StringBuilder(end).Append(end.Contains('?') ? '&' : '?').Append("client_id=").Append(Uri.EscapeDataString(_settings.ClientId));
            if (session is not null)
            {
                url.Append("&id_token_hint=").Append(Uri.EscapeDataString(session.Payload.IdToken));
            }

            if (_settings.PostLogoutRedirectUri is { } back)
            {
                url.Append("&post_logout_redirect_uri=").Append(Uri.EscapeDataString(back));
            }

            location = url.ToString();
        }

        return new LoginAnswer { Status = 302, Reason = ReasonCode.LoginFlow, Detail = session is null ? "signed out (no session)" : "signed out", Principal = session?.Principal }
            .With("location", location)
            .With("cache-control", "no-store")
            .With("set-cookie", LoginCookies.Expire(_settings.SessionCookie))
            .With("set-cookie", LoginCookies.Expire(_settings.BindingCookie));
    }

    private async Task<LoginAnswer> UserInfoAsync(CheckInput input, CancellationToken cancellationToken)
    {
        if (await _sessions.FindAsync(input, cancellationToken) is not { } session)
        {
            var refusal = input.Session as SessionRefusal;
            return LoginPages.Error(refusal?.Reason == ReasonCode.LoginUnavailable ? 503 : 401, refusal?.Reason ?? ReasonCode.MissingToken,
                refusal?.Detail ?? "no session", html: false, StartUrl("/", false));
        }

        var principal = session.Principal;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("user", principal.UserId);
            json.WriteStartArray("groups");
            foreach (var group in principal.Groups)
            {
                json.WriteStringValue(group);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new LoginAnswer { Status = 200, Reason = ReasonCode.LoginFlow, Detail = "user info", Principal = principal, Body = Encoding.UTF8.GetString(buffer.ToArray()) }
            .With("content-type", "application/json")
            .With("cache-control", "no-store");
    }

    private async ValueTask<PendingLogin?> TakeAsync(LoginState state, CancellationToken bound, CancellationToken caller)
    {
        try
        {
            return await _states.TakeAsync(KeyRing.Hash(state.Value), bound);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new LoginStoreUnavailableException("login-state store: no answer in time");
        }
    }

    /// <summary>The browser-binding cookie when well formed (22 base64url characters); null otherwise.</summary>
    private string? ReadBinding(CheckInput input)
    {
        if (input.GetHeader(HeaderSlots.Cookie) is not { } header)
        {
            return null;
        }

        var value = CookieReader.Find(header, _settings.BindingCookie);
        return value.Length == 22 && Base64Url.IsValid(value) ? value.ToString() : null;
    }

    private string StartUrl(string returnPath, bool restart) =>
        _settings.StartPath + "?rd=" + Uri.EscapeDataString(returnPath) + (restart ? "&retry=1" : string.Empty);

    private CancellationTokenSource Bound(CancellationToken cancellationToken)
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_settings.StoreTimeout);
        return bound;
    }

    private static bool WantsHtml(CheckInput input) =>
        input.GetHeader(HeaderSlots.Accept) is { } accept && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];
}
