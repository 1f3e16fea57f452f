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
        Verifier = CreateVerifier(key, keyType);
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
    /// The key imported once into an RSA or ECDsa instance. Verifying through the token library's handler cost about
    /// twice the signature check itself (measured); with the key imported once, first sight of a token costs little
    /// more than the check. Verification with an imported OpenSSL key is safe from several threads at once.
    /// </summary>
    private AsymmetricAlgorithm Verifier { get; }

    public bool IsWithdrawn => _withdrawn;

    public void Withdraw() => _withdrawn = true;

    public override string ToString() => $"{KeyType} kid={KeyId ?? "(none)"}";

    /// <summary>Checks a JWS signature over <paramref name="signingInput"/> with <paramref name="alg"/>, which must fit this key.</summary>
    public bool Verify(string alg, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        var hash = alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        try
        {
            return Verifier switch
            {
                RSA rsa when alg[0] == 'R' => rsa.VerifyData(signingInput, signature, hash, RSASignaturePadding.Pkcs1),
                RSA rsa when alg[0] == 'P' => rsa.VerifyData(signingInput, signature, hash, RSASignaturePadding.Pss),
                ECDsa ec => ec.VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static AsymmetricAlgorithm CreateVerifier(JsonWebKey key, string keyType)
    {
        if (keyType == "RSA")
        {
            var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters
            {
                Modulus = Base64UrlEncoder.DecodeBytes(key.N),
                Exponent = Base64UrlEncoder.DecodeBytes(key.E),
            });
            return rsa;
        }

        var curve = key.Crv switch
        {
            "P-256" => ECCurve.NamedCurves.nistP256,
            "P-384" => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
        return ECDsa.Create(new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(key.X), Y = Base64UrlEncoder.DecodeBytes(key.Y) },
        });
    }
}
