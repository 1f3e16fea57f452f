using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ExtAuthz.Testing.Tokens;

/// <summary>
/// Builds compact JWS tokens exactly as a test wants them, including the malformed and hostile ones a token library
/// would refuse to produce: any header, raw JSON text (duplicate names), any signer or none.
/// </summary>
public static class TestJwt
{
    /// <summary>A token signed by <paramref name="key"/>: header alg and kid from the key unless <paramref name="header"/> sets them.</summary>
    public static string Sign(TestKey key, JsonObject claims, JsonObject? header = null)
    {
        var h = new JsonObject { ["alg"] = key.Algorithm, ["typ"] = "JWT", ["kid"] = key.KeyId };
        foreach (var (name, value) in header ?? [])
        {
            h[name] = value?.DeepClone();
        }

        h = Prune(h);
        return SignRaw(h.ToJsonString(), claims.ToJsonString(), key.Sign);
    }

    /// <summary>A token from raw header and payload JSON text, signed by <paramref name="signer"/> (null: empty signature).</summary>
    public static string SignRaw(string headerJson, string payloadJson, Func<byte[], byte[]>? signer)
    {
        var signingInput = Encode(headerJson) + "." + Encode(payloadJson);
        var signature = signer is null ? string.Empty : Base64Url.EncodeToString(signer(Encoding.ASCII.GetBytes(signingInput)));
        return signingInput + "." + signature;
    }

    /// <summary>An HMAC-SHA256 signer with <paramref name="secret"/> (the classic public-key-as-secret confusion).</summary>
    public static Func<byte[], byte[]> Hmac(byte[] secret) => data => HMACSHA256.HashData(secret, data);

    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    /// <summary>Removes properties set to null, so a test can delete a claim by overriding it with null.</summary>
    public static JsonObject Prune(JsonObject node)
    {
        foreach (var name in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(name);
        }

        return node;
    }
}
