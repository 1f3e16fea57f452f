using Envoy.Service.Auth.V3;
using ExtAuthz.Server.Tests.Identity;
using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.Login;

/// <summary>
/// Our own login through the real service against a real OpenID provider (npm oidc-provider): the authorization code
/// flow with PKCE from a navigation to a landing on the original page, the session on later Checks (identity headers
/// set, our cookies kept from upstream), user info, a reused code, and logout.
/// </summary>
[Collection(OidcCollection.Name)]
public sealed class OidcLoginEndToEndTests
{
    private const string Page = "/jupyter/api/namespaces/alice/notebooks";

    private readonly OidcProviderFixture _provider;

    public OidcLoginEndToEndTests(OidcProviderFixture provider) => _provider = provider;

    [Fact]
    public async Task Login_CodeFlowWithPkce_SessionAllowsAndLogoutEnds()
    {
        await using var host = await StartAsync();
        using var browser = new BrowserSession(host);
        await _provider.SignInAsAsync("alice@example.com", "team-a");

        // A navigation without a session is sent to our start path, which starts the flow at the provider.
        var first = await browser.CheckAsync(Page + "?x=1");
        Assert.Equal((302, "/oauth2/start?rd=" + Uri.EscapeDataString(Page + "?x=1")), (Status(first), BrowserSession.Location(first)));
        var start = await browser.CheckAsync(BrowserSession.Location(first)!);
        var authorize = BrowserSession.Location(start)!;
        Assert.StartsWith(_provider.Issuer + "/auth?response_type=code&client_id=extauthz-login&redirect_uri=http%3A%2F%2Fgateway.test%2Foauth2%2Fcallback", authorize);
        Assert.Contains("&code_challenge_method=S256", authorize);

        // The provider signs alice in and sends the browser back to our callback.
        var callbackTarget = await browser.ThroughProviderAsync(authorize);
        Assert.StartsWith("/oauth2/callback?code=", callbackTarget);
        var callback = await browser.CheckAsync(callbackTarget);
        Assert.Equal((302, Page + "?x=1"), (Status(callback), BrowserSession.Location(callback)));
        Assert.True(browser.Cookies.ContainsKey("__Host-extauthz-session"));

        // The session now authenticates: identity headers set, our cookies removed from what goes upstream.
        var allowed = await Eventually(() => browser.CheckAsync(Page, mode: "cors", extraCookie: "theme=dark"));
        Assert.Equal(CheckResponse.HttpResponseOneofCase.OkResponse, allowed.HttpResponseCase);
        var set = allowed.OkResponse.Headers.ToDictionary(h => h.Header.Key, h => h.Header.Value);
        Assert.Equal("alice@example.com", set["kubeflow-userid"]);
        Assert.Equal("team-a", set["kubeflow-groups"]);
        Assert.Equal("theme=dark", set["cookie"]);
        Assert.False(set.ContainsKey("authorization"));

        var userInfo = await browser.CheckAsync("/oauth2/userinfo", mode: "cors");
        Assert.Equal((200, "{\"user\":\"alice@example.com\",\"groups\":[\"team-a\"]}"), (Status(userInfo), userInfo.DeniedResponse.Body));

        // A logout triggered from another site is refused: the Sec-Fetch-Site header reaches the decision.
        var crossSite = CheckAnswer.From(await host.CheckAsync("/oauth2/sign_out", ("cookie", browser.CookieHeader()), ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "navigate"), ("accept", "text/html")));
        Assert.Equal((403, "cross_site"), (crossSite.Status, crossSite.Reason));

        // Logout: the session is gone here and refused on any Check that still carries it.
        var session = browser.Cookies["__Host-extauthz-session"];
        var signOut = await browser.CheckAsync("/oauth2/sign_out?rd=%2F");
        Assert.Equal(302, Status(signOut));
        Assert.False(browser.Cookies.ContainsKey("__Host-extauthz-session"));
        var replayed = CheckAnswer.From(await browser.CheckAsync(Page, mode: "cors", extraCookie: "__Host-extauthz-session=" + session));
        Assert.Equal(401, replayed.Status);
        Assert.Contains(replayed.Reason, new[] { "invalid_session", "token_revoked" });
    }

    [Fact]
    public async Task Callback_CodeReused_TokenExchangeFailed()
    {
        await using var host = await StartAsync();
        using var browser = new BrowserSession(host);
        await _provider.SignInAsAsync("bob@example.com");

        var start = await browser.CheckAsync("/oauth2/start?rd=%2F");
        var back = await browser.ThroughProviderAsync(BrowserSession.Location(start)!);
        Assert.Equal(302, Status(await browser.CheckAsync(back)));
        browser.Cookies.Remove("__Host-extauthz-session");

        // A second attempt of the same browser, finished with the first attempt's code.
        var second = await browser.CheckAsync("/oauth2/start?rd=%2F");
        var state = Query(BrowserSession.Location(second)!, "state");
        var reused = CheckAnswer.From(await browser.CheckAsync($"/oauth2/callback?code={Uri.EscapeDataString(Query(back, "code"))}&state={Uri.EscapeDataString(state)}"));

        Assert.Equal((502, "token_exchange_failed"), (reused.Status, reused.Reason));
        Assert.Contains("invalid_grant", reused.Detail);
        Assert.False(browser.Cookies.ContainsKey("__Host-extauthz-session"));
    }

    private async Task<IdentityHost> StartAsync()
    {
        await _provider.PublishKeysAsync("rsa-1", "ec-1");
        var host = await IdentityHost.StartAsync(new Dictionary<string, string?>
        {
            ["Identity:Issuers:0:Issuer"] = _provider.Issuer,
            ["Identity:Issuers:0:Audiences:0"] = "extauthz-login",
            ["Login:Oidc:Issuer"] = _provider.Issuer,
            ["Login:Oidc:ClientId"] = "extauthz-login",
            ["Login:Oidc:ClientSecret"] = "extauthz-login-secret",
            ["Login:Oidc:RedirectUri"] = BrowserSession.Gateway + "/oauth2/callback",
            ["Login:Oidc:Scopes:0"] = "openid",
            ["Login:Oidc:Scopes:1"] = "email",
            ["Login:Oidc:Scopes:2"] = "groups",
            ["Policy:Directory"] = RepoPaths.Samples,
        });
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);
        return host;
    }

    private static int Status(CheckResponse response) =>
        response.HttpResponseCase == CheckResponse.HttpResponseOneofCase.DeniedResponse ? (int)response.DeniedResponse.Status.Code : 200;

    private static string Query(string url, string name) =>
        url[(url.IndexOf('?') + 1)..].Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).First();

    /// <summary>Until the access index has loaded (a safety net for start-up, never a measure of speed).</summary>
    private static async Task<CheckResponse> Eventually(Func<Task<CheckResponse>> check)
    {
        for (var i = 0; ; i++)
        {
            var response = await check();
            if (i > 300 || CheckAnswer.From(response).Detail != "no access index has loaded")
            {
                return response;
            }

            await Task.Delay(50);
        }
    }
}
