namespace ExtAuthz.Core.Identity;

/// <summary>What a revocation names: every token of a user issued before it, or one token.</summary>
public enum RevocationKind
{
    /// <summary>Every token of the user issued before the revocation (a token without <c>iat</c> counts as issued before).</summary>
    User = 0,

    /// <summary>One token, by its <c>jti</c> within its issuer.</summary>
    TokenId,

    /// <summary>One token without a <c>jti</c>, by the claims that identify it: issuer, user, <c>iat</c> and <c>exp</c>.</summary>
    TokenFingerprint,
}
