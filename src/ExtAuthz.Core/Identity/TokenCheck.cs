using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Identity;

/// <summary>The outcome of validating one token against one issuer: a principal and the key that signed it, or a failure.</summary>
internal readonly record struct TokenCheck(Principal? Principal, SigningKey? Key, ReasonCode Failure, string? Detail, double ExpiresAt)
{
    public static TokenCheck Invalid(string detail) => new(null, null, ReasonCode.InvalidToken, detail, 0);

    public static TokenCheck Expired() => new(null, null, ReasonCode.TokenExpired, "expired", 0);

    /// <summary>True when the token names another issuer: this issuer simply was not the one it was meant for.</summary>
    public bool IsIssuerMismatch => Principal is null && Detail == "issuer";
}
