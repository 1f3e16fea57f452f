using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Login;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Who is calling the workspace API. First a token, from the same sources and validators as a Check (bearer, an
/// issuer's header such as IAP's, an issuer's cookie), with the same revocations; then the browser session of our own
/// login (<c>Login:Oidc</c>), through the login's own session lookup. Otherwise the identity header
/// (<c>Headers:UserId</c>, less <c>Headers:UserIdPrefix</c>), but only from a workload listed in
/// <c>SelfService:TrustedCallers</c> as our own sidecar reports it in <c>x-forwarded-client-cert</c> — the central
/// dashboard forwarding its user, as it does to kfam. From anyone else that header is ignored: it is not an identity.
/// </summary>
internal sealed class CallerResolver
{
    private readonly AdminCaller _tokens;
    private readonly LoginRuntime? _login;
    private readonly HeaderSlots _slots;
    private readonly HashSet<string> _trusted;
    private readonly string _header;
    private readonly string _prefix;

    public CallerResolver(AdminCaller tokens, HeaderSlots slots, ExtAuthzOptions options, LoginRuntime? login = null)
    {
        _tokens = tokens;
        _slots = slots;
        _login = login;
        _trusted = new HashSet<string>(options.SelfService.TrustedCallers, StringComparer.Ordinal);
        _header = options.Headers.UserId;
        _prefix = options.Headers.UserIdPrefix;
    }

    /// <summary>The caller, or a 401 outcome with the reason code a Check would give.</summary>
    public async Task<(Caller? Caller, Outcome? Refusal)> ResolveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (principal, failure) = _tokens.Identify(request);
        if (principal is not null)
        {
            return (new Caller(principal.UserId, _tokens.IsClusterAdmin(principal.UserId), "token"), null);
        }

        if (_login is not null && request.Headers.Cookie.Count > 0)
        {
            var input = new CheckInput(_slots) { HasHttp = true, Method = request.Method, Path = request.Path.Value ?? "/", Host = request.Host.Value ?? "" };
            input.AddHeader(HeaderSlots.Cookie, request.Headers.Cookie.ToString());
            if (await _login.Sessions.FindAsync(input, cancellationToken) is { } session && !_tokens.IsRevoked(session.Principal))
            {
                return (new Caller(session.Principal.UserId, _tokens.IsClusterAdmin(session.Principal.UserId), "session"), null);
            }
        }

        if (FromTrustedCaller(request) is { } user)
        {
            return (new Caller(user, _tokens.IsClusterAdmin(user), "identity-header"), null);
        }

        return (null, new Outcome(401, failure.ToWire(), failure == ReasonCode.MissingToken
            ? "no identity: send a token (or call through the dashboard)"
            : "the token is not valid"));
    }

    private string? FromTrustedCaller(HttpRequest request)
    {
        var values = request.Headers[_header];
        if (values.Count != 1 || values[0] is not { } value)
        {
            return null;
        }

        var peer = ForwardedClientCert.LastPeer(request.Headers["x-forwarded-client-cert"].ToString());
        if (peer is null || !_trusted.Contains(peer) || !value.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var user = value[_prefix.Length..];
        return user.Length is > 0 and <= 512 && !user.Any(char.IsControl) && user.Trim().Length == user.Length ? user : null;
    }
}
