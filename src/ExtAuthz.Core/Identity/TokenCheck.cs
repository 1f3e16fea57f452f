using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// The outcome of validating one token against one issuer: a principal and the key that signed it, or a failure.
/// <see cref="IsIssuerMismatch"/> marks a token meant for another issuer, so the authenticator prefers any other
/// issuer's failure (an expired token reads as expired) without reading the detail text.
/// </summary>
internal readonly record struct TokenCheck(Principal? Principal, SigningKey? Key, ReasonCode Failure, string? Detail, double ExpiresAt,
    bool IsIssuerMismatch = false)
{
    public static TokenCheck Invalid(string detail) => new(null, null, ReasonCode.InvalidToken, detail, 0);

    public static TokenCheck Expired() => new(null, null, ReasonCode.TokenExpired, "expired", 0);

    /// <summary>The token names another issuer: this issuer simply was not the one it was meant for.</summary>
    public static TokenCheck OtherIssuer() => new(null, null, ReasonCode.InvalidToken, "issuer", 0, IsIssuerMismatch: true);
}
