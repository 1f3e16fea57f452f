using System.Security.Cryptography;
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
        SecurityKey = CreateSecurityKey(key, keyType);
    }

    /// <summary>The key as published.</summary>
    public JsonWebKey Key { get; }

    public string? KeyId => string.IsNullOrEmpty(Key.Kid) ? null : Key.Kid;

    /// <summary>"RSA" or "EC".</summary>
    public string KeyType { get; }

    /// <summary>The EC curve ("P-256"…); null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>RFC 7638 thumbprint: the identity of the key material, whatever its kid.</summary>
    public string Thumbprint { get; }

    /// <summary>
    /// The key imported once, as the token library verifies with it: the library caches one signature provider per
    /// key and algorithm, so first sight of a token costs little more than the signature check itself.
    /// </summary>
    public SecurityKey SecurityKey { get; }

    public bool IsWithdrawn => _withdrawn;

    public void Withdraw() => _withdrawn = true;

    public override string ToString() => $"{KeyType} kid={KeyId ?? "(none)"}";

    private static SecurityKey CreateSecurityKey(JsonWebKey key, string keyType)
    {
        if (keyType == "RSA")
        {
            var parameters = new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(key.N), Exponent = Base64UrlEncoder.DecodeBytes(key.E) };
            return new RsaSecurityKey(parameters) { KeyId = key.Kid };
        }

        var curve = key.Crv switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
        var point = new ECPoint { X = Base64UrlEncoder.DecodeBytes(key.X), Y = Base64UrlEncoder.DecodeBytes(key.Y) };
        return new ECDsaSecurityKey(ECDsa.Create(new ECParameters { Curve = curve, Q = point })) { KeyId = key.Kid };
    }
}
