using System.Text;
using System.Text.Json;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Identity;

/// <summary>The development issuer's OpenID discovery document, its endpoints under the base URL the caller used.</summary>
internal static class DevDiscoveryDocument
{
    public static string Json(DevIssuer dev, string baseUrl)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("issuer", dev.Issuer);
            w.WriteString("authorization_endpoint", baseUrl + DevSignInEndpoints.AuthorizePath);
            w.WriteString("token_endpoint", baseUrl + DevSignInEndpoints.TokenPath);
            w.WriteString("end_session_endpoint", baseUrl + DevSignInEndpoints.EndSessionPath);
            w.WriteString("jwks_uri", baseUrl + DevSignInEndpoints.JwksPath);
            Strings(w, "response_types_supported", "code");
            Strings(w, "grant_types_supported", "authorization_code");
            Strings(w, "subject_types_supported", "public");
            Strings(w, "id_token_signing_alg_values_supported", "RS256");
            Strings(w, "code_challenge_methods_supported", "S256");
            Strings(w, "scopes_supported", "openid", "email", "profile", "groups");
            Strings(w, "token_endpoint_auth_methods_supported", "client_secret_basic", "client_secret_post", "none");
            Strings(w, "claims_supported", "iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "email", "email_verified", "groups");
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Strings(Utf8JsonWriter w, string name, params string[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
