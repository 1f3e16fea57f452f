using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ExtAuthz.Core.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using IssuerValidator = ExtAuthz.Core.Identity.IssuerValidator;

namespace ExtAuthz.Benchmarks;

/// <summary>
/// First sight of a token (nothing cached): our issuer validation (<c>IssuerValidator.Validate</c>: the structure and
/// claim checks of our own, then the token library's <c>JsonWebTokenHandler</c> with the issuer's imported keys),
/// next to the raw signature verification of the same token (the floor: base64url-decode the signature, verify it
/// over the signing input) and next to a bare <c>JsonWebTokenHandler.ValidateTokenAsync</c> handed the published JWK.
/// </summary>
[MemoryDiagnoser]
public class FirstSightBenchmarks
{
    private const string Issuer = "https://dex.example.com";
    private const string Audience = "kubeflow";

    private RSA? _rsa;
    private ECDsa? _ec;
    private string _token = "";
    private IssuerValidator _validator = null!;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;

    [Params("RS256", "ES256")]
    public string Algorithm { get; set; } = "RS256";

    [GlobalSetup]
    public void Setup()
    {
        SecurityKey key;
        if (Algorithm == "RS256")
        {
            _rsa = RSA.Create(2048);
            key = new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "k1" };
        }
        else
        {
            _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            key = new ECDsaSecurityKey(ECDsa.Create(_ec.ExportParameters(false))) { KeyId = "k1" };
        }

        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(key);
        jwk.Kid = "k1";
        var signingKey = JwksParser.ToSigningKey(jwk) ?? throw new InvalidOperationException("key not usable");
        var settings = new IssuerSettings
        {
            Issuer = Issuer,
            Audiences = new[] { Audience }.ToFrozenSet(StringComparer.Ordinal),
            Algorithms = new[] { Algorithm }.ToFrozenSet(StringComparer.Ordinal),
            Source = TokenSource.Header("authorization"),
            UserClaim = "email",
            GroupsClaim = "groups",
            UserIdPrefix = "",
        };
        _validator = new IssuerValidator(
            new IssuerKeys(settings, new KeySet([signingKey], DateTimeOffset.UtcNow)), UserIdRule.For([settings])[0], TimeProvider.System, TimeSpan.FromSeconds(30));
        _token = Mint();

        _handler = new JsonWebTokenHandler();
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [Algorithm],
            IssuerSigningKey = jwk,
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        if (_validator.Validate(_token).Principal is null)
        {
            throw new InvalidOperationException("the benchmark token does not validate");
        }
    }

    [Benchmark(Baseline = true, Description = "raw signature verification")]
    public bool RawVerify()
    {
        var token = _token.AsSpan();
        var lastDot = token.LastIndexOf('.');
        var signingInput = token[..lastDot];
        Span<byte> input = stackalloc byte[signingInput.Length];
        Encoding.ASCII.GetBytes(signingInput, input);
        Span<byte> signature = stackalloc byte[512];
        var length = Base64Url.DecodeFromChars(token[(lastDot + 1)..], signature);
        return _rsa is not null
            ? _rsa.VerifyData(input, signature[..length], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.VerifyData(input, signature[..length], HashAlgorithmName.SHA256);
    }

    [Benchmark(Description = "IssuerValidator.Validate (first sight)")]
    public object? Validate() => _validator.Validate(_token).Principal;

    [Benchmark(Description = "JsonWebTokenHandler.ValidateTokenAsync")]
    public bool JsonWebTokenHandlerValidate() => _handler.ValidateTokenAsync(_token, _parameters).GetAwaiter().GetResult().IsValid;

    private string Mint()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Json(w => { w.WriteString("alg", Algorithm); w.WriteString("typ", "JWT"); w.WriteString("kid", "k1"); });
        var payload = Json(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteString("sub", "CiQwOGE4Njg0Yi1kYjg4LTRiNzMtOTBhOS0zY2QxNjYxZjU0NjYSBWxvY2Fs");
            w.WriteString("aud", Audience);
            w.WriteNumber("exp", now + 3600);
            w.WriteNumber("iat", now);
            w.WriteString("nonce", "n-0S6_WzA2Mj");
            w.WriteString("at_hash", "aUAkJG-u6x4RTWuILWy-CA");
            w.WriteString("email", "alice@example.com");
            w.WriteBoolean("email_verified", true);
            w.WriteStartArray("groups");
            w.WriteStringValue("kubeflow-users");
            w.WriteEndArray();
            w.WriteString("name", "Alice Example");
        });
        var signingInput = header + "." + payload;
        var bytes = Encoding.ASCII.GetBytes(signingInput);
        var signature = _rsa is not null
            ? _rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.SignData(bytes, HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return Base64Url.EncodeToString(stream.ToArray());
    }
}
