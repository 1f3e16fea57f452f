using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ExtAuthz.Testing.Tokens;

/// <summary>
/// A signing key for test tokens with its kid and public JWK: RSA-2048 (RS256 by default, or RS384/512, PS256/384/512)
/// or EC (ES256 on P-256 by default, ES384 on P-384, ES512 on P-521).
/// </summary>
public sealed class TestKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestKey(string kid, RSA? rsa, ECDsa? ec, string algorithm)
    {
        KeyId = kid;
        _rsa = rsa;
        _ec = ec;
        Algorithm = algorithm;
    }

    public string KeyId { get; }

    public string Algorithm { get; }

    public static TestKey Rsa(string kid, int bits = 2048) => new(kid, RSA.Create(bits), null, "RS256");

    public static TestKey EcP256(string kid) => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256), "ES256");

    /// <summary>A new key for any of the nine asymmetric JWS algorithms.</summary>
    public static TestKey For(string algorithm, string kid) => algorithm switch
    {
        "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => new(kid, RSA.Create(2048), null, algorithm),
        "ES256" => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256), algorithm),
        "ES384" => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP384), algorithm),
        "ES512" => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP521), algorithm),
        _ => throw new ArgumentException($"no key for {algorithm}", nameof(algorithm)),
    };

    /// <summary>The same key material published under another kid.</summary>
    public TestKey WithKeyId(string kid) => _rsa is not null
        ? new TestKey(kid, RSA.Create(_rsa.ExportParameters(true)), null, Algorithm)
        : new TestKey(kid, null, ECDsa.Create(_ec!.ExportParameters(true)), Algorithm);

    /// <summary>The DER SubjectPublicKeyInfo bytes: what a confused verifier might use as an HMAC secret.</summary>
    public byte[] PublicKeyBytes => _rsa?.ExportSubjectPublicKeyInfo() ?? _ec!.ExportSubjectPublicKeyInfo();

    public byte[] Sign(byte[] data)
    {
        var hash = Algorithm[2..] switch
        {
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        return _rsa is not null
            ? _rsa.SignData(data, hash, Algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
            : _ec!.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

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
                ["alg"] = Algorithm,
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
            ["alg"] = Algorithm,
            ["kid"] = KeyId,
            ["crv"] = Algorithm switch { "ES384" => "P-384", "ES512" => "P-521", _ => "P-256" },
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
