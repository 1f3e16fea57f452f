namespace ExtAuthz.Server.Operations;

/// <summary>
/// The body of <c>POST /revocations</c>: exactly one of <see cref="User"/>, <see cref="Jti"/> (with its
/// <see cref="Issuer"/>) or <see cref="Token"/> (the token itself, revoked by its jti or, lacking one, its fingerprint).
/// </summary>
internal sealed class RevocationRequest
{
    public string? User { get; set; }

    public string? Jti { get; set; }

    public string? Issuer { get; set; }

    public string? Token { get; set; }
}
