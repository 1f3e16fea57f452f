using System.Text.Json.Serialization;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// One revocation, immutable and small enough to replicate as one JSON value. It is kept until
/// <see cref="ExpiresAt"/>: by then every token it could match has expired on its own.
/// </summary>
public sealed record RevocationEntry
{
    public required RevocationKind Kind { get; init; }

    /// <summary>The issuer the entry is limited to; empty for a user revocation, which covers every issuer.</summary>
    public string Issuer { get; init; } = string.Empty;

    /// <summary>The user id (<see cref="RevocationKind.User"/>, <see cref="RevocationKind.TokenFingerprint"/>) or the <c>jti</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>The token's <c>iat</c> in Unix seconds, -1 when it had none; fingerprints only (null otherwise).</summary>
    public long? TokenIssuedAt { get; init; }

    /// <summary>The token's <c>exp</c> in Unix seconds; fingerprints only (null otherwise).</summary>
    public long? TokenExpires { get; init; }

    public required DateTimeOffset RevokedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Identifies the entry across replicas: two revocations of the same thing share a key.</summary>
    [JsonIgnore]
    public string Key => Kind switch
    {
        RevocationKind.User => $"user|{UserIdComparer.Normalize(Subject)}",
        RevocationKind.TokenId => $"jti|{Issuer}|{Subject}",
        _ => $"fp|{Issuer}|{UserIdComparer.Normalize(Subject)}|{TokenIssuedAt}|{TokenExpires}",
    };
}
