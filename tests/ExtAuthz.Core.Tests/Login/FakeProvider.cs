using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>
/// The provider's token endpoint as the login flow sees it: codes issued by the test, each redeemable once and only
/// with the PKCE verifier of its challenge, the exact redirect URI and the client's Basic credentials. A test can make
/// it fail instead (down, slow, garbage). Discovery is absent (404), as with Dex behind configured endpoints.
/// </summary>
internal sealed class FakeProvider : HttpMessageHandler
{
    public const string TokenUrl = "https://dex.test/dex/token";

    private readonly ConcurrentDictionary<string, (string IdToken, string Challenge)> _codes = new();

    /// <summary>When set, answers the token endpoint instead of the code table.</summary>
    public Func<CancellationToken, Task<HttpResponseMessage>>? Override { get; set; }

    public List<Dictionary<string, string>> TokenRequests { get; } = [];

    public string? LastAuthorization { get; private set; }

    /// <summary>Sent with every code exchange when set (the provider granted <c>offline_access</c>).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Answers <c>grant_type=refresh_token</c>; none set: <c>invalid_grant</c>.</summary>
    public Func<CancellationToken, Task<HttpResponseMessage>>? OnRefresh { get; set; }

    public void Issue(string code, string idToken, string challenge) => _codes[code] = (idToken, challenge);

    public static HttpResponseMessage Answer(HttpStatusCode status, string body, string contentType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.ToString();
        if (url != TokenUrl)
        {
            return Answer(HttpStatusCode.NotFound, "{}");
        }

        var form = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        lock (TokenRequests)
        {
            TokenRequests.Add(form);
        }

        LastAuthorization = request.Headers.Authorization?.ToString();
        if (Override is { } answer)
        {
            return await answer(cancellationToken);
        }

        if (form.GetValueOrDefault("grant_type") == "refresh_token")
        {
            return OnRefresh is { } refresh ? await refresh(cancellationToken) : Answer(HttpStatusCode.BadRequest, "{\"error\":\"invalid_grant\"}");
        }

        if (form.GetValueOrDefault("grant_type") != "authorization_code" || form.GetValueOrDefault("redirect_uri") != "/oauth2/callback"
            || LastAuthorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("kubeflow-oidc-authservice:s3cret")))
        {
            return Answer(HttpStatusCode.BadRequest, "{\"error\":\"invalid_request\"}");
        }

        if (!_codes.TryRemove(form.GetValueOrDefault("code") ?? string.Empty, out var issued))
        {
            return Answer(HttpStatusCode.BadRequest, "{\"error\":\"invalid_grant\"}");
        }

        var verifier = form.GetValueOrDefault("code_verifier") ?? string.Empty;
        if (Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != issued.Challenge)
        {
            return Answer(HttpStatusCode.BadRequest, "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE\"}");
        }

        var refreshToken = RefreshToken is null ? string.Empty : $",\"refresh_token\":\"{RefreshToken}\"";
        return Answer(HttpStatusCode.OK, $"{{\"access_token\":\"at\",\"token_type\":\"bearer\",\"expires_in\":3600,\"id_token\":\"{issued.IdToken}\"{refreshToken}}}");
    }
}
