using ExtAuthz.Core.Identity;

namespace ExtAuthz.Core.Decisions;

/// <summary>
/// The answer to one Check, as a value: allow or deny, the HTTP status Envoy will send on a deny, the closed
/// reason code, and what the response and the log need (principal, namespace, role, human detail).
/// </summary>
public readonly record struct Decision
{
    public required bool Allowed { get; init; }

    /// <summary>200 on allow; 401, 403 or 302 on deny (and on the login paths 200, 400, 404, 502 or 503).</summary>
    public required int HttpStatus { get; init; }

    public required ReasonCode Reason { get; init; }

    public Principal? Principal { get; init; }

    public string? Namespace { get; init; }

    public AccessRole Role { get; init; }

    /// <summary>Which grant allowed, or what was missing; for dynamic metadata and the decision log only.</summary>
    public string? Detail { get; init; }

    /// <summary>The Location of a login redirect (HttpStatus 302).</summary>
    public string? RedirectLocation { get; init; }

    /// <summary>The issuer whose token was tried, for the log; null when none was.</summary>
    public string? Issuer { get; init; }

    /// <summary>True when this allow stands in for a deny because of dry-run; <see cref="Reason"/> is then the deny's.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// On an allow, the <c>cookie</c> header to send upstream instead of the client's (our own cookies removed): null
    /// leaves the header as it is, empty removes it.
    /// </summary>
    public string? UpstreamCookie { get; init; }

    /// <summary>On an allow, an <c>authorization</c> header to set upstream (the session's ID token); null sets none.</summary>
    public string? UpstreamAuthorization { get; init; }

    public static Decision Allow(ReasonCode reason, Principal? principal, string? ns, AccessRole role, string? detail) => new()
    {
        Allowed = true,
        HttpStatus = 200,
        Reason = reason,
        Principal = principal,
        Namespace = ns,
        Role = role,
        Detail = detail,
        Issuer = principal?.Issuer,
    };

    public static Decision Deny(ReasonCode reason, string? detail, Principal? principal = null, string? ns = null) => new()
    {
        Allowed = false,
        HttpStatus = reason == ReasonCode.MalformedRequest ? 403 : reason.DenyStatus(),
        Reason = reason,
        Principal = principal,
        Namespace = ns,
        Detail = detail,
        Issuer = principal?.Issuer,
    };

    public static Decision Redirect(ReasonCode reason, string? detail, string location) => new()
    {
        Allowed = false,
        HttpStatus = 302,
        Reason = reason,
        Detail = detail,
        RedirectLocation = location,
    };
}
