using Microsoft.IdentityModel.Tokens;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Turns a JWKS document into the verification keys we can use: RSA (2048 bits or more) and EC P-256/384/521
/// public keys meant for signatures. Anything else in the document is skipped; a document with no usable key is a
/// failure, so the last good key set stays in force.
/// </summary>
internal static class JwksParser
{
    public const int MinRsaBits = 2048;

    public static IReadOnlyList<SigningKey>? Parse(string json, out string? error)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            error = "key set is not a JWKS JSON document";
            return null;
        }

        var keys = new List<SigningKey>();
        foreach (var key in set.Keys)
        {
            if (ToSigningKey(key) is { } signingKey)
            {
                keys.Add(signingKey);
            }
        }

        if (keys.Count == 0)
        {
            error = $"key set has no usable signing key ({set.Keys.Count} keys listed)";
            return null;
        }

        error = null;
        return keys;
    }

    public static SigningKey? ToSigningKey(JsonWebKey key)
    {
        if (!string.IsNullOrEmpty(key.Use) && key.Use != "sig")
        {
            return null;
        }

        if (!string.IsNullOrEmpty(key.Alg) && (JwtAlgorithms.IsForbidden(key.Alg) || !JwtAlgorithms.IsSupported(key.Alg)))
        {
            return null;
        }

        try
        {
            switch (key.Kty)
            {
                case "RSA" when !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E):
                    var modulusBits = Base64UrlEncoder.DecodeBytes(key.N).AsSpan().TrimStart((byte)0).Length * 8;
                    return modulusBits < MinRsaBits ? null : new SigningKey(key, "RSA", null, Thumbprint(key));
                case "EC" when key.Crv is "P-256" or "P-384" or "P-521" && !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y):
                    return new SigningKey(key, "EC", key.Crv, Thumbprint(key));
                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static string Thumbprint(JsonWebKey key) => Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
}
