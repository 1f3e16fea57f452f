using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;
using AuthorizationClient = Envoy.Service.Auth.V3.Authorization.AuthorizationClient;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>
/// The development issuer as a browser OpenID provider over real HTTP: discovery, the sign-in form and its binding
/// cookie, the code exchange, and the ID token it yields accepted by Check. Bad inputs get the OAuth error they earn.
/// </summary>
public sealed partial class DevSignInEndpointTests : IAsyncLifetime
{
    private const string RedirectUri = "http://127.0.0.1:8000/oauth2/callback";
    private const string Verifier = "verifier-0123456789-0123456789-0123456789-abcdef";

    private ServerInstance _server = null!;
    private HttpClient _http = null!;
    private string _base = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerInstance.StartAsync(["--Identity:DevIssuer:Enabled=true"]);
        _base = $"http://127.0.0.1:{_server.HttpPort}";
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(_base) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetDiscovery_AdvertisesTheBrowserEndpointsOnThisPort()
    {
        var discovery = JsonDocument.Parse(await _http.GetStringAsync("/dev/.well-known/openid-configuration")).RootElement;

        Assert.Equal("urn:extauthz:dev", discovery.GetProperty("issuer").GetString());
        Assert.Equal(_base + "/dev/oidc/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(_base + "/dev/oidc/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(_base + "/dev/oidc/end-session", discovery.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(_base + "/dev/jwks", discovery.GetProperty("jwks_uri").GetString());
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        using var jwks = await _http.GetAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
    }

    [Fact]
    public async Task SignIn_FormThenCode_IdTokenAcceptedByCheck()
    {
        using var form = await _http.GetAsync(AuthorizeUrl("s-1"));
        var html = await form.Content.ReadAsStringAsync();
        var cookie = Cookie(form);

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("text/html", form.Content.Headers.ContentType?.MediaType);
        Assert.Contains("for development only, never for production", html);
        Assert.Contains("<label for=\"email\">Email</label>", html);
        Assert.Equal("no-store", form.Headers.CacheControl?.ToString());
        Assert.Contains("frame-ancestors 'none'", form.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("HttpOnly", cookie.Attributes, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SameSite=Strict", cookie.Attributes, StringComparison.OrdinalIgnoreCase);

        using var submitted = await SubmitAsync(RequestId(html), cookie.Pair, "alice@example.com");
        Assert.Equal(HttpStatusCode.SeeOther, submitted.StatusCode);
        var location = submitted.Headers.Location!.ToString();
        Assert.StartsWith(RedirectUri + "?code=", location);
        Assert.EndsWith("&state=s-1", location);

        using var exchanged = await ExchangeAsync(QueryValue(location, "code"));
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var idToken = (await exchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id_token").GetString()!;
        var answer = await CheckAsync("/notebook/alice/nb/", idToken);
        Assert.Equal(0, answer.Status.Code);
        Assert.Contains(answer.OkResponse.Headers, h => h.Header.Key == "kubeflow-userid" && h.Header.Value == "alice@example.com");
    }

    [Theory]
    [InlineData("sec-fetch-site", "cross-site")]
    [InlineData("sec-fetch-site", "same-site")]
    [InlineData("origin", "http://127.0.0.1:8000")]
    [InlineData("origin", "null")]
    public async Task Submit_FromAnotherPage_403AndTheRequestStaysUsable(string header, string value)
    {
        var (requestId, cookie) = await OpenFormAsync();

        using var forged = await SubmitAsync(requestId, cookie, "mallory@example.com", (header, value));
        using var genuine = await SubmitAsync(requestId, cookie, "alice@example.com");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        Assert.Equal(HttpStatusCode.SeeOther, genuine.StatusCode);
    }

    [Fact]
    public async Task Submit_WithoutTheFormsCookie_400Page()
    {
        var (requestId, _) = await OpenFormAsync();

        using var response = await SubmitAsync(requestId, cookie: null, "alice@example.com");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("this sign-in form has expired or was already used", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Submit_Twice_SecondIsRefused()
    {
        var (requestId, cookie) = await OpenFormAsync();

        using var first = await SubmitAsync(requestId, cookie, "alice@example.com");
        using var second = await SubmitAsync(requestId, cookie, "alice@example.com");

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task Submit_BadEmail_FormAgainWithAnAlert()
    {
        var (requestId, cookie) = await OpenFormAsync();

        using var response = await SubmitAsync(requestId, cookie, "not an email");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Equal(requestId, RequestId(html));
    }

    /// <summary>A browser that signed in once is sent straight back with a code, as by a provider's own session.</summary>
    [Fact]
    public async Task GetAuthorize_SignedInBefore_RedirectsWithACodeWithoutTheForm()
    {
        var (requestId, cookie) = await OpenFormAsync();
        using var submitted = await SubmitAsync(requestId, cookie, "alice@example.com");
        var session = submitted.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dev_signin_session=", StringComparison.Ordinal)).Split(';')[0];

        using var request = new HttpRequestMessage(HttpMethod.Get, AuthorizeUrl("again"));
        request.Headers.Add("cookie", session);
        using var again = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        Assert.Equal("again", QueryValue(again.Headers.Location!.ToString(), "state"));
        using var exchanged = await ExchangeAsync(QueryValue(again.Headers.Location!.ToString(), "code"));
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
    }

    /// <summary>A forged, garbled or expired sign-in session names nobody: the form, never an error or a code.</summary>
    [Theory]
    [InlineData("garbage")]
    [InlineData("!!!.9999999999.00")]
    [InlineData("YWxpY2VAZXhhbXBsZS5jb20.9999999999.zz")]
    [InlineData("YWxpY2VAZXhhbXBsZS5jb20.9999999999.0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("YWxpY2VAZXhhbXBsZS5jb20.1.0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("YWxpY2VAZXhhbXBsZS5jb20.notanumber.00")]
    public async Task GetAuthorize_ForgedSignInSession_ShowsTheForm(string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AuthorizeUrl("s"));
        request.Headers.Add("cookie", "dev_signin_session=" + value);
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.NotEmpty(RequestId(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task GetAuthorize_ForeignRedirectUri_ErrorPageNeverARedirect()
    {
        using var response = await _http.GetAsync(AuthorizeUrl("s", redirectUri: "https://evil.example.com/cb"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task GetAuthorize_RelayedByAProxy_NotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AuthorizeUrl("s"));
        request.Headers.Add("x-forwarded-for", "203.0.113.7");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("reused code", 400, "invalid_grant")]
    [InlineData("wrong verifier", 400, "invalid_grant")]
    [InlineData("wrong redirect_uri", 400, "invalid_grant")]
    [InlineData("wrong client_id", 401, "invalid_client")]
    [InlineData("garbage basic credentials", 401, "invalid_client")]
    public async Task PostToken_BadExchange_OAuthErrorNoToken(string fault, int status, string error)
    {
        var code = await SignInAsync("alice@example.com");
        if (fault == "reused code")
        {
            using var first = await ExchangeAsync(code);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var response = await ExchangeAsync(code,
            verifier: fault == "wrong verifier" ? Verifier + "x" : Verifier,
            redirectUri: fault == "wrong redirect_uri" ? "http://127.0.0.1:8000/elsewhere" : RedirectUri,
            clientId: fault == "wrong client_id" ? "kubeflow-oidc-authservice" : "extauthz-dev",
            basic: fault == "garbage basic credentials" ? "Basic !!!" : null);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("id_token", out _));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task GetEndSession_LoopbackReturnAddress_RedirectsWithState()
    {
        using var response = await _http.GetAsync("/dev/oidc/end-session?post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:8000/") + "&state=bye");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://127.0.0.1:8000/?state=bye", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("post_logout_redirect_uri=https%3A%2F%2Fevil.example.com%2F")]
    [InlineData("id_token_hint=eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl")]
    public async Task GetEndSession_ForeignTargetOrForgedHint_400Page(string query)
    {
        using var response = await _http.GetAsync("/dev/oidc/end-session?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private static string AuthorizeUrl(string state, string redirectUri = RedirectUri) =>
        "/dev/oidc/authorize?response_type=code&client_id=extauthz-dev&scope=openid%20email&nonce=n-1"
        + "&redirect_uri=" + Uri.EscapeDataString(redirectUri) + "&state=" + state
        + "&code_challenge_method=S256&code_challenge=" + System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    private async Task<(string RequestId, string Cookie)> OpenFormAsync()
    {
        using var form = await _http.GetAsync(AuthorizeUrl("s"));
        return (RequestId(await form.Content.ReadAsStringAsync()), Cookie(form).Pair);
    }

    private async Task<string> SignInAsync(string email)
    {
        var (requestId, cookie) = await OpenFormAsync();
        using var submitted = await SubmitAsync(requestId, cookie, email);
        return QueryValue(submitted.Headers.Location!.ToString(), "code");
    }

    /// <summary>The form's POST as Chromium sends it from the page: same-origin fetch metadata and Origin.</summary>
    private async Task<HttpResponseMessage> SubmitAsync(string requestId, string? cookie, string email, params (string Name, string Value)[] overrides)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev/oidc/authorize")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = requestId, ["email"] = email }),
        };
        var headers = new Dictionary<string, string> { ["sec-fetch-site"] = "same-origin", ["origin"] = _base };
        foreach (var (name, value) in overrides)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        if (cookie is not null)
        {
            request.Headers.Add("cookie", cookie);
        }

        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> ExchangeAsync(string code, string verifier = Verifier, string redirectUri = RedirectUri, string clientId = "extauthz-dev", string? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev/oidc/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri,
                ["client_id"] = clientId,
                ["code_verifier"] = verifier,
            }),
        };
        if (basic is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", basic);
        }

        return await _http.SendAsync(request);
    }

    private async Task<CheckResponse> CheckAsync(string path, string idToken)
    {
        var http = new AttributeContext.Types.HttpRequest { Method = "GET", Path = path, Host = "kubeflow.example.com", Protocol = "HTTP/1.1" };
        http.Headers["authorization"] = "Bearer " + idToken;
        var request = new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = http } } };
        return await new AuthorizationClient(_server.Channel).CheckAsync(request);
    }

    private static (string Pair, string Attributes) Cookie(HttpResponseMessage response)
    {
        var header = response.Headers.GetValues("Set-Cookie").Single();
        var semicolon = header.IndexOf(';', StringComparison.Ordinal);
        return (header[..semicolon], header[semicolon..]);
    }

    private static string RequestId(string html) => RequestField().Match(html).Groups[1].Value;

    private static string QueryValue(string url, string name) =>
        Uri.UnescapeDataString(new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == name)[1]);

    [GeneratedRegex("name=\"request\" value=\"([^\"]+)\"")]
    private static partial Regex RequestField();
}
