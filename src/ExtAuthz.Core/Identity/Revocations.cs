namespace ExtAuthz.Core.Identity;

/// <summary>Builds revocation entries; each is kept for the longest token lifetime, after which nothing it names is valid.</summary>
public static class Revocations
{
    /// <summary>Every token of <paramref name="userId"/> issued before <paramref name="now"/>, from any issuer.</summary>
    public static RevocationEntry ForUser(string userId, DateTimeOffset now, TimeSpan maxTokenLifetime) => new()
    {
        Kind = RevocationKind.User,
        Subject = userId,
        RevokedAt = now,
        ExpiresAt = now + maxTokenLifetime,
    };

    /// <summary>One token by its <c>jti</c>.</summary>
    public static RevocationEntry ForTokenId(string issuer, string tokenId, DateTimeOffset now, TimeSpan maxTokenLifetime) => new()
    {
        Kind = RevocationKind.TokenId,
        Issuer = issuer,
        Subject = tokenId,
        RevokedAt = now,
        ExpiresAt = now + maxTokenLifetime,
    };

    /// <summary>The token this principal was read from: by <c>jti</c> when it has one, else by its fingerprint.</summary>
    public static RevocationEntry ForToken(Principal principal, DateTimeOffset now, TimeSpan maxTokenLifetime)
    {
        // Past the token's own expiry nothing is left to revoke; keep the entry no longer than needed.
        var expiresAt = principal.Expires < now + maxTokenLifetime ? principal.Expires : now + maxTokenLifetime;
        if (principal.TokenId is { Length: > 0 } jti)
        {
            return ForTokenId(principal.Issuer, jti, now, maxTokenLifetime) with { ExpiresAt = expiresAt };
        }

        return new RevocationEntry
        {
            Kind = RevocationKind.TokenFingerprint,
            Issuer = principal.Issuer,
            Subject = principal.UserId,
            TokenIssuedAt = principal.IssuedAt?.ToUnixTimeSeconds() ?? -1,
            TokenExpires = principal.Expires.ToUnixTimeSeconds(),
            RevokedAt = now,
            ExpiresAt = expiresAt,
        };
    }
}
