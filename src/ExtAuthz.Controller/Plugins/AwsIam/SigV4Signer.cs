using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ExtAuthz.Controller.Plugins.AwsIam;

/// <summary>
/// AWS Signature Version 4 for one request with a form body (AWS's "Create a signed AWS API request"): canonical
/// request, string to sign, a key derived from the secret by date, region and service, and the Authorization header.
/// </summary>
internal static class SigV4Signer
{
    public static void Sign(HttpRequestMessage request, string body, AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var uri = request.RequestUri!;
        request.Headers.Host = uri.Host;
        request.Headers.Add("X-Amz-Date", amzDate);
        if (credentials.SessionToken is { Length: > 0 } token)
        {
            request.Headers.Add("X-Amz-Security-Token", token);
        }

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-amz-date"] = amzDate,
        };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers["content-type"] = contentType.ToString();
        }

        if (credentials.SessionToken is { Length: > 0 })
        {
            headers["x-amz-security-token"] = credentials.SessionToken;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = string.Join('\n',
            request.Method.Method,
            string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath,
            CanonicalQuery(uri.Query),
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n")),
            signedHeaders,
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date), region), service), "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal).Select(p => $"{p.Item1}={p.Item2}"));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>An access key, its secret and an optional session token.</summary>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken);
