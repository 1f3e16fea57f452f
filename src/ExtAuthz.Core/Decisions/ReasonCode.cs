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
}

public static class ReasonCodes
{
    private static readonly string[] s_wire =
    [
        "public", "service_caller", "authenticated", "granted", "cluster_admin",
        "missing_token", "invalid_token", "token_expired", "token_revoked", "no_access", "read_only",
        "ambiguous_path", "namespace_conflict", "admin_only", "malformed_request", "unknown_route",
    ];

    /// <summary>Every code, in enum order; for metrics that pre-create their series.</summary>
    public static IReadOnlyList<ReasonCode> All { get; } = Enum.GetValues<ReasonCode>();

    public static string ToWire(this ReasonCode code) => s_wire[(int)code];

    public static bool IsAllow(this ReasonCode code) => code < ReasonCode.MissingToken;

    /// <summary>The reasons answered with 401 (or a login redirect for a page navigation).</summary>
    public static bool IsUnauthenticated(this ReasonCode code) =>
        code is ReasonCode.MissingToken or ReasonCode.InvalidToken or ReasonCode.TokenExpired or ReasonCode.TokenRevoked;
}
