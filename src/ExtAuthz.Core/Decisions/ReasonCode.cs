namespace ExtAuthz.Core.Decisions;

/// <summary>
/// The closed set of reasons shared by the deny body, the metrics and the decision log (DESIGN §2.8).
/// A client sees only the code; the human detail (which grant, which binding) goes to metadata and the log.
/// </summary>
public enum ReasonCode
{
    // Allows.
    Public = 0,
    ServiceCaller,
    Authenticated,
    Granted,
    ClusterAdmin,

    // Denies.
    MissingToken,
    InvalidToken,
    TokenExpired,
    TokenRevoked,
    NoAccess,
    ReadOnly,
    AmbiguousPath,
    NamespaceConflict,
    AdminOnly,
    MalformedRequest,

    /// <summary>A path under a known app that none of its catalogue routes describes (or under no app, with Policy:UnknownRoutes=Deny).</summary>
    UnknownRoute,

    // Our own login (the paths under Login:PathPrefix and browser sessions).

    /// <summary>A session cookie that is forged, tampered with, unknown or ended.</summary>
    InvalidSession,

    /// <summary>A session past its lifetime or idle limit.</summary>
    SessionExpired,

    /// <summary>The session or login-state store cannot answer (503; cached sessions keep working).</summary>
    LoginUnavailable,

    /// <summary>A callback whose state is missing, forged, bound to another browser or not ours (400).</summary>
    InvalidState,

    /// <summary>A callback whose attempt is gone (expired, replayed, lost): restarted once, then 400.</summary>
    LoginStateExpired,

    /// <summary>The provider answered the callback with <c>error=</c> (403).</summary>
    LoginDenied,

    /// <summary>The token endpoint was down, slow, refused the code or answered garbage (502).</summary>
    TokenExchangeFailed,

    /// <summary>The ID token failed validation: signature, issuer, audience, azp, algorithm, times or nonce (403).</summary>
    InvalidIdToken,

    /// <summary>A logout triggered from another site (Sec-Fetch-Site), refused (403).</summary>
    CrossSite,

    /// <summary>A login path answered as designed: start (302 to the provider), callback (302 back), logout, user info.</summary>
    LoginFlow,
}

public static class ReasonCodes
{
    private static readonly string[] s_wire =
    [
        "public", "service_caller", "authenticated", "granted", "cluster_admin",
        "missing_token", "invalid_token", "token_expired", "token_revoked", "no_access", "read_only",
        "ambiguous_path", "namespace_conflict", "admin_only", "malformed_request", "unknown_route",
        "invalid_session", "session_expired", "login_unavailable", "invalid_state", "login_state_expired", "login_denied",
        "token_exchange_failed", "invalid_id_token", "cross_site", "login_flow",
    ];

    /// <summary>Every code, in enum order; for metrics that pre-create their series.</summary>
    public static IReadOnlyList<ReasonCode> All { get; } = Enum.GetValues<ReasonCode>();

    public static string ToWire(this ReasonCode code) => s_wire[(int)code];

    public static bool IsAllow(this ReasonCode code) => code < ReasonCode.MissingToken;

    /// <summary>The reasons answered with 401 (or a login redirect for a page navigation).</summary>
    public static bool IsUnauthenticated(this ReasonCode code) =>
        code is ReasonCode.MissingToken or ReasonCode.InvalidToken or ReasonCode.TokenExpired or ReasonCode.TokenRevoked
            or ReasonCode.InvalidSession or ReasonCode.SessionExpired;

    /// <summary>The HTTP status of a deny with this reason (a login redirect replaces it with 302).</summary>
    public static int DenyStatus(this ReasonCode code) => code switch
    {
        _ when code.IsUnauthenticated() => 401,
        ReasonCode.LoginUnavailable => 503,
        ReasonCode.InvalidState or ReasonCode.LoginStateExpired or ReasonCode.MalformedRequest => 400,
        ReasonCode.TokenExchangeFailed => 502,
        _ => 403,
    };
}
