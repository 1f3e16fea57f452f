namespace ExtAuthz.Core.Identity;

/// <summary>
/// The parts of a compact JWS that validation reads, as <see cref="JwtReader"/> found them: structurally sound
/// (three segments, JSON objects, no duplicate names, no <c>crit</c>), nothing verified yet.
/// </summary>
internal sealed class JwtContents
{
    public required string Algorithm { get; init; }

    public string? KeyId { get; init; }

    public string? Issuer { get; init; }

    /// <summary>The <c>aud</c> values (a single string becomes one entry).</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    public double? ExpiresAt { get; init; }

    public double? NotBefore { get; init; }

    public double? IssuedAt { get; init; }

    /// <summary>The configured user claim, when it was a string.</summary>
    public string? User { get; init; }

    public required IReadOnlyList<string> Groups { get; init; }

    public string? TokenId { get; init; }
}
