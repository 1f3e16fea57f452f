using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ExtAuthz.Testing.Tokens;

/// <summary>A signing key for test tokens: RSA-2048 (RS256) or EC P-256 (ES256), with its kid and public JWK.</summary>
public sealed class TestKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestKey(string kid, RSA? rsa, ECDsa? ec)
    {
        KeyId = kid;
        _rsa = rsa;
        _ec = ec;
    }

    public string KeyId { get; }

    public string Algorithm => _rsa is not null ? "RS256" : "ES256";

    public static TestKey Rsa(string kid, int bits = 2048) => new(kid, RSA.Create(bits), null);

    public static TestKey EcP256(string kid) => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The same key material published under another kid.</summary>
    public TestKey WithKeyId(string kid) => _rsa is not null
        ? new TestKey(kid, RSA.Create(_rsa.ExportParameters(true)), null)
        : new TestKey(kid, null, ECDsa.Create(_ec!.ExportParameters(true)));

    /// <summary>The DER SubjectPublicKeyInfo bytes: what a confused verifier might use as an HMAC secret.</summary>
    public byte[] PublicKeyBytes => _rsa?.ExportSubjectPublicKeyInfo() ?? _ec!.ExportSubjectPublicKeyInfo();

    public byte[] Sign(byte[] data) => _rsa is not null
        ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : _ec!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>The public JWK, as a provider publishes it.</summary>
    public JsonObject PublicJwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url.EncodeToString(p.Modulus),
                ["e"] = Base64Url.EncodeToString(p.Exponent),
            };
        }

        var q = _ec!.ExportParameters(false).Q;
        return new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["alg"] = "ES256",
            ["kid"] = KeyId,
            ["crv"] = "P-256",
            ["x"] = Base64Url.EncodeToString(q.X),
            ["y"] = Base64Url.EncodeToString(q.Y),
        };
    }

    /// <summary>A JWKS document listing these keys.</summary>
    public static string Jwks(params TestKey[] keys) =>
        new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.PublicJwk())]) }.ToJsonString();

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
