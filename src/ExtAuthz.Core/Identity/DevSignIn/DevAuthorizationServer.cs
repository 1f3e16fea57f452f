using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>
/// The development issuer's browser sign-in, an OpenID Connect authorization-code provider with one rule per step:
/// an authorization request from the one known client (<c>client_id</c> = the issuer's audience) with a loopback
/// <c>redirect_uri</c>, <c>response_type=code</c>, scope <c>openid</c> and a PKCE S256 challenge becomes a pending
/// request; the sign-in form (one email, no password) turns it into a code; the code is exchanged once, within
/// <see cref="CodeLifetime"/>, by the same client with the same redirect URI and the matching verifier, for an ID
/// token signed by the development key. Everything is in memory, bounded, and forgotten at its expiry.
/// </summary>
internal sealed class DevAuthorizationServer
{
    public static readonly TimeSpan RequestLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);
    public const int MaxPending = 10_000;
    public const int MaxStateLength = 512;

    private readonly DevIssuer _issuer;
    private readonly string? _clientSecret;
    private readonly TimeSpan _idTokenLifetime;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DevAuthorizationRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DevAuthorizationCode> _codes = new(StringComparer.Ordinal);

    public DevAuthorizationServer(DevIssuer issuer, string? clientSecret, TimeSpan idTokenLifetime, TimeProvider time)
    {
        _issuer = issuer;
        _clientSecret = string.IsNullOrEmpty(clientSecret) ? null : clientSecret;
        _idTokenLifetime = idTokenLifetime;
        _time = time;
    }

    /// <summary>The only client: the issuer's audience, so the ID tokens it receives validate as this issuer's tokens.</summary>
    public string ClientId => _issuer.Audience;

    public int PendingRequests => _requests.Count;

    public int PendingCodes => _codes.Count;

    /// <summary>Step 1, <c>GET authorize</c>: the form for a valid request; an error redirect or page otherwise.</summary>
    public DevAuthorizeResult Authorize(IEnumerable<KeyValuePair<string, string>> query)
    {
        var parameters = OAuthParameters.Single(query, out var error);
        if (parameters is null)
        {
            return DevAuthorizeResult.Page(error!);
        }

        // Until the client and its redirect URI are known good, an error is shown here, never sent anywhere (RFC 6749 §4.1.2.1).
        if (parameters.Get("client_id") != ClientId)
        {
            return DevAuthorizeResult.Page($"unknown client_id: this issuer serves only the client '{ClientId}'");
        }

        var redirectUri = parameters.Get("redirect_uri");
        if (!LoopbackRedirect.Allowed(redirectUri))
        {
            return DevAuthorizeResult.Page("redirect_uri must be an absolute http(s) URL on this machine (localhost, 127.0.0.1 or [::1])");
        }

        var state = parameters.Get("state");
        DevAuthorizeResult Refuse(string code, string description) =>
            DevAuthorizeResult.Redirect(LoopbackRedirect.With(redirectUri!, ("error", code), ("error_description", description), ("state", state)));

        if (parameters.Get("response_type") != "code")
        {
            return Refuse("unsupported_response_type", "only response_type=code is supported");
        }

        if (!(parameters.Get("scope") ?? "").Split(' ').Contains("openid", StringComparer.Ordinal))
        {
            return Refuse("invalid_scope", "the scope must include openid");
        }

        if (parameters.Get("code_challenge_method") != "S256" || !Pkce.WellFormed(parameters.Get("code_challenge")))
        {
            return Refuse("invalid_request", "PKCE is required: code_challenge_method=S256 and a code_challenge of 43 to 128 characters");
        }

        var nonce = parameters.Get("nonce");
        if (state is { Length: > MaxStateLength } || nonce is { Length: > MaxStateLength })
        {
            return Refuse("invalid_request", $"state and nonce are limited to {MaxStateLength} characters");
        }

        if (parameters.Get("prompt") == "none")
        {
            return Refuse("login_required", "the development issuer keeps no sign-in session: it always shows its form");
        }

        if (!MakeRoom(_requests, r => r.ExpiresAt))
        {
            return Refuse("temporarily_unavailable", "too many sign-ins in progress; try again in a few minutes");
        }

        var request = new DevAuthorizationRequest(NewSecret(), NewSecret(), ClientId, redirectUri!, state, nonce,
            parameters.Get("code_challenge")!, _time.GetUtcNow() + RequestLifetime);
        _requests[request.Id] = request;
        return DevAuthorizeResult.Form(request);
    }

    /// <summary>The pending request with this id, if it has not expired, and only to the browser that holds its form token.</summary>
    public DevAuthorizationRequest? Pending(string? requestId, string? formToken)
    {
        if (requestId is null || !_requests.TryGetValue(requestId, out var request) || request.ExpiresAt <= _time.GetUtcNow()
            || formToken is null || !FixedTimeEquals(formToken, request.FormToken))
        {
            return null;
        }

        return request;
    }

    /// <summary>
    /// Step 2, the form's <c>POST</c>: the email signs in and the browser goes back to the client with a code and its
    /// state. A bad email shows the form again (the request stays); an unknown, used, expired or foreign request is a page.
    /// </summary>
    public DevAuthorizeResult SignIn(string? requestId, string? formToken, string? email)
    {
        var request = Pending(requestId, formToken);
        if (request is null)
        {
            return DevAuthorizeResult.Page("this sign-in form has expired or was already used: go back to the application and start again");
        }

        if (!ValidEmail(email))
        {
            return DevAuthorizeResult.Form(request, "enter an email address such as alice@example.com");
        }

        if (!_requests.TryRemove(new KeyValuePair<string, DevAuthorizationRequest>(request.Id, request)))
        {
            return DevAuthorizeResult.Page("this sign-in form was already used: go back to the application and start again");
        }

        if (!MakeRoom(_codes, c => c.ExpiresAt))
        {
            return DevAuthorizeResult.Redirect(LoopbackRedirect.With(request.RedirectUri,
                ("error", "temporarily_unavailable"), ("error_description", "too many unexchanged codes"), ("state", request.State)));
        }

        var code = NewSecret();
        var user = email!.Trim();
        _codes[code] = new DevAuthorizationCode(request, user, _time.GetUtcNow() + CodeLifetime);
        return DevAuthorizeResult.Redirect(LoopbackRedirect.With(request.RedirectUri, ("code", code), ("state", request.State))) with { User = user };
    }

    /// <summary>
    /// Step 3, <c>POST token</c>: a code for an ID token. The code is spent by its first presentation, right or wrong,
    /// so a stolen code gets one try at most.
    /// </summary>
    public DevTokenResult Exchange(DevTokenExchange exchange)
    {
        var form = OAuthParameters.Single(exchange.Form, out var error);
        if (form is null)
        {
            return Error(400, "invalid_request", error!);
        }

        if (form.Get("grant_type") != "authorization_code")
        {
            return Error(400, "unsupported_grant_type", "only grant_type=authorization_code is supported");
        }

        var formClient = form.Get("client_id");
        var clientId = exchange.BasicClientId ?? formClient;
        if (clientId != ClientId || (exchange.BasicClientId is not null && formClient is not null && formClient != exchange.BasicClientId))
        {
            return Error(401, "invalid_client", $"unknown client: this issuer serves only the client '{ClientId}'");
        }

        var secret = exchange.BasicSecret ?? form.Get("client_secret");
        if (_clientSecret is not null && (secret is null || !FixedTimeEquals(secret, _clientSecret)))
        {
            return Error(401, "invalid_client", "the client secret is missing or wrong");
        }

        if (form.Get("code") is not { } codeValue || !_codes.TryRemove(codeValue, out var code))
        {
            return Error(400, "invalid_grant", "the code is unknown, already used or expired");
        }

        if (code.ExpiresAt <= _time.GetUtcNow())
        {
            return Error(400, "invalid_grant", "the code is unknown, already used or expired");
        }

        if (code.Request.ClientId != clientId)
        {
            return Error(400, "invalid_grant", "the code was issued to another client");
        }

        if (form.Get("redirect_uri") != code.Request.RedirectUri)
        {
            return Error(400, "invalid_grant", "redirect_uri differs from the one of the authorization request");
        }

        if (!Pkce.Verifies(form.Get("code_verifier"), code.Request.CodeChallenge))
        {
            return Error(400, "invalid_grant", "the code_verifier does not match the code_challenge");
        }

        var idToken = _issuer.MintIdToken(code.User, clientId, code.Request.Nonce, _idTokenLifetime);
        var json = Json(w =>
        {
            w.WriteString("access_token", NewSecret());
            w.WriteString("token_type", "Bearer");
            w.WriteNumber("expires_in", (long)_idTokenLifetime.TotalSeconds);
            w.WriteString("id_token", idToken);
            w.WriteString("scope", "openid email");
        });
        return new DevTokenResult(200, json, code.User);
    }

    /// <summary>An email the form accepts: one line, no spaces, something on both sides of one '@', at most 256 characters.</summary>
    public static bool ValidEmail(string? email)
    {
        var value = email?.Trim();
        if (value is not { Length: > 2 and <= 256 } || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == ','))
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1;
    }

    /// <summary>Drops expired entries once the map is full; false if it is still full (then the caller refuses).</summary>
    private bool MakeRoom<T>(ConcurrentDictionary<string, T> map, Func<T, DateTimeOffset> expiresAt)
    {
        if (map.Count < MaxPending)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        foreach (var (key, value) in map)
        {
            if (expiresAt(value) <= now)
            {
                map.TryRemove(key, out _);
            }
        }

        return map.Count < MaxPending;
    }

    public static DevTokenResult Error(int status, string code, string description)
    {
        var json = Json(w =>
        {
            w.WriteString("error", code);
            w.WriteString("error_description", description);
        });
        return new DevTokenResult(status, json, null) { Description = description };
    }

    private static string Json(Action<Utf8JsonWriter> write) => Encoding.UTF8.GetString(JsonObjectWriter.Write(write));

    private static string NewSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
