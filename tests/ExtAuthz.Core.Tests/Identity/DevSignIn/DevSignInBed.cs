using System.Text.Json;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Identity.DevSignIn;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Core.Tests.Identity.DevSignIn;

/// <summary>A development issuer and its authorization server on a fake clock, with a valid request to start from.</summary>
internal sealed class DevSignInBed : IDisposable
{
    public const string RedirectUri = "http://127.0.0.1:8000/oauth2/callback";
    public const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-verifier";

    private DevSignInBed(string? clientSecret)
    {
        Issuer = new DevIssuer(new DevIssuerOptions(), "", Time);
        Server = new DevAuthorizationServer(Issuer, clientSecret, TimeSpan.FromHours(1), Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    public DevIssuer Issuer { get; }

    public DevAuthorizationServer Server { get; }

    public static DevSignInBed Create(string? clientSecret = null) => new(clientSecret);

    /// <summary>The parameters of a valid authorization request, with these replaced (a null value removes one).</summary>
    public static List<KeyValuePair<string, string>> Query(params (string Name, string? Value)[] changes)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = "extauthz-dev",
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid email",
            ["state"] = "state-1",
            ["nonce"] = "nonce-1",
            ["code_challenge"] = Pkce.Challenge(Verifier),
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in changes)
        {
            query[name] = value;
        }

        return [.. query.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!))];
    }

    /// <summary>A sign-in of <paramref name="email"/> through the form; the code the browser is sent back with.</summary>
    public string SignIn(string email = "alice@example.com")
    {
        var request = Server.Authorize(Query()).Request!;
        var redirect = Server.SignIn(request.Id, request.FormToken, email).RedirectTo!;
        return QueryOf(redirect)["code"];
    }

    /// <summary>The token request for <paramref name="code"/>, with these form fields replaced (a null value removes one).</summary>
    public static DevTokenExchange Exchange(string code, params (string Name, string? Value)[] changes)
    {
        var form = new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = "extauthz-dev",
            ["code_verifier"] = Verifier,
        };
        foreach (var (name, value) in changes)
        {
            form[name] = value;
        }

        return new DevTokenExchange([.. form.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!))], null, null);
    }

    public static Dictionary<string, string> QueryOf(string url) =>
        new Uri(url).Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);

    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;

    public static string ErrorOf(DevTokenResult result) => JsonDocument.Parse(result.Json).RootElement.GetProperty("error").GetString()!;

    public void Dispose() => Issuer.Dispose();
}
