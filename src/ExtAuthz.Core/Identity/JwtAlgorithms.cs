namespace ExtAuthz.Core.Identity;

/// <summary>
/// The asymmetric JWS algorithms we verify, and the key each needs. Symmetric (HS*) and <c>none</c> are never
/// accepted: a public key must never double as an HMAC secret.
/// </summary>
internal static class JwtAlgorithms
{
    public static readonly IReadOnlyList<string> Supported =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    public static bool IsSupported(string alg) => KeyTypeOf(alg) is not null;

    /// <summary>True for algorithms that must be refused whatever the configuration says.</summary>
    public static bool IsForbidden(string alg) =>
        alg.Length == 0 || alg.Equals("none", StringComparison.OrdinalIgnoreCase) || alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase);

    /// <summary>"RSA" or "EC"; null for anything we do not verify.</summary>
    public static string? KeyTypeOf(string alg) => alg switch
    {
        "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => "RSA",
        "ES256" or "ES384" or "ES512" => "EC",
        _ => null,
    };

    /// <summary>The curve an ES* algorithm is defined on (RFC 7518 §3.4); null for RSA algorithms.</summary>
    public static string? CurveOf(string alg) => alg switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        "ES512" => "P-521",
        _ => null,
    };

    /// <summary>Whether <paramref name="alg"/> can be verified with a key of this type and curve.</summary>
    public static bool Fits(string alg, string keyType, string? curve)
    {
        var type = KeyTypeOf(alg);
        return type == keyType && (type == "RSA" || CurveOf(alg) == curve);
    }
}
