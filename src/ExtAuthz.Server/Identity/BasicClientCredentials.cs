using System.Text;
using Microsoft.Extensions.Primitives;

namespace ExtAuthz.Server.Identity;

/// <summary>
/// OAuth client credentials in <c>Authorization: Basic</c> (RFC 6749 §2.3.1: each part form-encoded, then joined
/// with ':' and base64-encoded). No header is no credentials; a header of another shape is an error.
/// </summary>
internal static class BasicClientCredentials
{
    public static (string? Id, string? Secret, bool Error) Parse(StringValues header)
    {
        var value = header.ToString();
        if (value.Length == 0)
        {
            return (null, null, false);
        }

        if (header.Count != 1 || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || value.Length > 4096)
        {
            return (null, null, true);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? (null, null, true)
                : (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')), false);
        }
        catch (FormatException)
        {
            return (null, null, true);
        }
    }
}
