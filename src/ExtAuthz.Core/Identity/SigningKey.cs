using Microsoft.IdentityModel.Tokens;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// One public key of an issuer's key set. The same instance lives on across refreshes while the provider keeps
/// publishing it; when a refresh no longer lists it, it is marked withdrawn and every cached token it signed stops
/// being served from the cache at once.
/// </summary>
internal sealed class SigningKey
{
    private volatile bool _withdrawn;

    public SigningKey(JsonWebKey key, string keyType, string? curve, string thumbprint)
    {
        Key = key;
        KeyType = keyType;
        Curve = curve;
        Thumbprint = thumbprint;
        VerificationKey = CreateVerificationKey(key, keyType);
    }

    /// <summary>The key as published.</summary>
    public JsonWebKey Key { get; }

    /// <summary>
    /// The key imported once into an RSA or ECDsa instance: handing the library the JWK itself made it import the key
    /// again on every validation, which cost more than the signature check.
    /// </summary>
    public SecurityKey VerificationKey { get; }

    public string? KeyId => string.IsNullOrEmpty(Key.Kid) ? null : Key.Kid;

    /// <summary>"RSA" or "EC".</summary>
    public string KeyType { get; }

    /// <summary>The EC curve ("P-256"…); null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>RFC 7638 thumbprint: the identity of the key material, whatever its kid.</summary>
    public string Thumbprint { get; }

    public bool IsWithdrawn => _withdrawn;

    public void Withdraw() => _withdrawn = true;

    public override string ToString() => $"{KeyType} kid={KeyId ?? "(none)"}";

    private static SecurityKey CreateVerificationKey(JsonWebKey key, string keyType)
    {
        if (keyType == "RSA")
        {
            var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportParameters(new System.Security.Cryptography.RSAParameters
            {
                Modulus = Base64UrlEncoder.DecodeBytes(key.N),
                Exponent = Base64UrlEncoder.DecodeBytes(key.E),
            });
            return new RsaSecurityKey(rsa) { KeyId = key.Kid };
        }

        var curve = key.Crv switch
        {
            "P-256" => System.Security.Cryptography.ECCurve.NamedCurves.nistP256,
            "P-384" => System.Security.Cryptography.ECCurve.NamedCurves.nistP384,
            _ => System.Security.Cryptography.ECCurve.NamedCurves.nistP521,
        };
        var ec = System.Security.Cryptography.ECDsa.Create(new System.Security.Cryptography.ECParameters
        {
            Curve = curve,
            Q = new System.Security.Cryptography.ECPoint { X = Base64UrlEncoder.DecodeBytes(key.X), Y = Base64UrlEncoder.DecodeBytes(key.Y) },
        });
        return new ECDsaSecurityKey(ec) { KeyId = key.Kid };
    }
}
