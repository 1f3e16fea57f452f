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
    }

    public JsonWebKey Key { get; }

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
}
