using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExtAuthz.Core.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// The development issuer of the embedded default: an RSA key made at start and kept only in memory, tokens minted
/// on request (the ops port's loopback-only <c>/dev/token</c>), and its public key trusted as one more static issuer.
/// </summary>
internal sealed class DevIssuer : IDisposable
{
    private readonly RSA _rsa;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxLifetime;

    public DevIssuer(DevIssuerOptions options, string userIdPrefix, TimeProvider time)
    {
        _time = time;
        _maxLifetime = options.MaxTokenLifetime;
        _rsa = RSA.Create(2048);
        KeyId = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        Issuer = options.Issuer;
        Audience = options.Audience;

        var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = KeyId });
        publicJwk.Use = "sig";
        publicJwk.Alg = "RS256";
        PublicKey = publicJwk;

        Settings = new IssuerSettings
        {
            Issuer = Issuer,
            Audiences = new[] { Audience }.ToFrozenSet(StringComparer.Ordinal),
            Algorithms = new[] { "RS256" }.ToFrozenSet(StringComparer.Ordinal),
            Source = TokenSource.Header("authorization"),
            UserClaim = "email",
            GroupsClaim = "groups",
            UserIdPrefix = userIdPrefix,
        };
        var key = JwksParser.ToSigningKey(publicJwk) ?? throw new InvalidOperationException("development key is not usable");
        KeySet = new KeySet([key], time.GetUtcNow());
    }

    public string Issuer { get; }

    public string Audience { get; }

    public string KeyId { get; }

    public JsonWebKey PublicKey { get; }

    public IssuerSettings Settings { get; }

    public KeySet KeySet { get; }

    public TimeSpan MaxLifetime => _maxLifetime;

    /// <summary>A signed RS256 token for <paramref name="user"/> (as <c>email</c>, verified) with these groups.</summary>
    public string Mint(string user, IReadOnlyList<string> groups, TimeSpan lifetime) => Mint(user, groups, lifetime, idToken: null);

    /// <summary>
    /// A signed RS256 ID token of the browser sign-in: <c>aud</c> and <c>azp</c> are the client, <c>nonce</c> is the
    /// one the client sent in its authorization request (absent when it sent none).
    /// </summary>
    public string MintIdToken(string user, string clientId, string? nonce, TimeSpan lifetime) =>
        Mint(user, [], lifetime, new IdTokenClaims(clientId, nonce));

    private string Mint(string user, IReadOnlyList<string> groups, TimeSpan lifetime, IdTokenClaims? idToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = Encode(w =>
        {
            w.WriteString("alg", "RS256");
            w.WriteString("typ", "JWT");
            w.WriteString("kid", KeyId);
        });
        var payload = Encode(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteString("sub", user);
            w.WriteString("aud", idToken?.ClientId ?? Audience);
            if (idToken is not null)
            {
                w.WriteString("azp", idToken.ClientId);
                w.WriteNumber("auth_time", now);
                if (idToken.Nonce is not null)
                {
                    w.WriteString("nonce", idToken.Nonce);
                }
            }

            w.WriteNumber("iat", now);
            w.WriteNumber("nbf", now);
            w.WriteNumber("exp", now + (long)lifetime.TotalSeconds);
            w.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
            w.WriteString("email", user);
            w.WriteBoolean("email_verified", true);
            w.WriteStartArray("groups");
            foreach (var group in groups)
            {
                w.WriteStringValue(group);
            }

            w.WriteEndArray();
        });
        var signingInput = header + "." + payload;
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The JWKS document with the public key.</summary>
    public string JwksJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            w.WriteStartObject();
            w.WriteString("kty", "RSA");
            w.WriteString("use", "sig");
            w.WriteString("alg", "RS256");
            w.WriteString("kid", KeyId);
            w.WriteString("n", PublicKey.N);
            w.WriteString("e", PublicKey.E);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>True when <paramref name="jwt"/> carries a valid signature of this issuer's key (expiry not checked).</summary>
    public bool Signed(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || parts[2].Length > 1024)
        {
            return false;
        }

        var signature = new byte[Base64Url.GetMaxDecodedLength(parts[2].Length)];
        if (Base64Url.DecodeFromChars(parts[2], signature, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return _rsa.VerifyData(input, signature.AsSpan(0, written), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public void Dispose() => _rsa.Dispose();

    private sealed record IdTokenClaims(string ClientId, string? Nonce);

    private static string Encode(Action<Utf8JsonWriter> write) => Base64Url.EncodeToString(JsonObjectWriter.Write(write));
}
