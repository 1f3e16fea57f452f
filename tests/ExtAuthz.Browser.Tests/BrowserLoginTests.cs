using System.Net;
using ExtAuthz.Core.Login;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Browser.Tests;

/// <summary>
/// The browser login of the embedded default in a real headless chromium through the development gateway: a page
/// navigation signs in on the development issuer's form and lands back on its page as that user; two tabs signing in
/// at once both succeed; after sign-out a background request gets 401 and creates no login attempt, and the session
/// is over for the browser and for anyone replaying its cookie.
/// </summary>
public sealed class BrowserLoginTests : IAsyncLifetime
{
    private BrowserStack _stack = null!;

    public async Task InitializeAsync() => _stack = await BrowserStack.StartAsync(LoginStack.Arguments);

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Navigate_SignInOnTheDevelopmentForm_LandsOnTheOriginalPageAsThatUser()
    {
        var result = await BrowserScenario.RunAsync("login-navigation", new { gateway = _stack.Gateway, path = "/notebook/alice/nb/?tab=1", email = "alice@example.com" });

        var signInPage = result.GetProperty("signInPage");
        Assert.StartsWith($"http://127.0.0.1:{_stack.OpsPort}/dev/oidc/authorize?", signInPage.GetProperty("url").GetString());
        Assert.Contains("for development only", signInPage.GetProperty("text").GetString());
        Assert.Equal(_stack.Gateway + "/notebook/alice/nb/?tab=1", result.GetProperty("url").GetString());
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        var echo = result.GetProperty("text").GetString()!;
        Assert.Contains("kubeflow-userid: alice@example.com", echo);
        Assert.Contains("GET /notebook/alice/nb/?tab=1", echo);
        // The browser holds the session; the app behind the gateway never sees it.
        Assert.True(result.GetProperty("cookies").TryGetProperty(LoginStack.SessionCookie, out _));
        Assert.DoesNotContain(LoginStack.SessionCookie, echo);
    }

    [Fact]
    public async Task Navigate_SignedInUserWithoutAccess_403AfterSignIn()
    {
        var result = await BrowserScenario.RunAsync("login-navigation", new { gateway = _stack.Gateway, path = "/notebook/alice/nb/", email = "mallory@example.com" });

        Assert.Equal(_stack.Gateway + "/notebook/alice/nb/", result.GetProperty("url").GetString());
        Assert.Equal(403, result.GetProperty("status").GetInt32());
        Assert.Contains("no_access", result.GetProperty("text").GetString());
    }

    [Fact]
    public Task TwoTabs_SignInAtOnceInABrowserSeenBefore_BothLandOnTheirOwnPage() => TwoTabsAsync(seenBefore: true);

    /// <remarks>
    /// Both tabs are a new browser's first requests, so each <c>/oauth2/start</c> sets a different browser-binding
    /// cookie and the later one replaces the earlier: the other tab's callback no longer matches its attempt, and
    /// restarts once under the browser's one binding (the provider, which now has a session, answers at once).
    /// </remarks>
    [Fact]
    public Task TwoTabs_SignInAtOnceInANewBrowser_BothLandOnTheirOwnPage() => TwoTabsAsync(seenBefore: false);

    [Fact]
    public async Task SignOut_ThenBackgroundRequest_401WithoutLoginStateAndTheSessionIsOver()
    {
        var states = _stack.Server.Services.GetRequiredService<ILoginStateStore>();
        var counts = new Dictionary<string, long>();

        var result = await BrowserScenario.RunAsync("logout-then-xhr",
            new { gateway = _stack.Gateway, path = "/notebook/alice/nb/", email = "alice@example.com", signOut = "/oauth2/sign_out", api = "/notebook/alice/nb/api/kernels" },
            async (checkpoint, _) => counts[checkpoint] = await states.CountAsync(default));

        Assert.Contains("kubeflow-userid: alice@example.com", result.GetProperty("signedIn").GetProperty("text").GetString());
        Assert.False(result.GetProperty("signedOut").GetProperty("cookies").TryGetProperty(LoginStack.SessionCookie, out _));
        var xhr = result.GetProperty("xhr");
        Assert.Equal(401, xhr.GetProperty("status").GetInt32());
        Assert.False(xhr.GetProperty("redirected").GetBoolean());
        Assert.Contains("unauthenticated", xhr.GetProperty("body").GetString());
        Assert.Equal(counts["before-xhr"], counts["after-xhr"]);
        Assert.True(result.GetProperty("navigation").GetProperty("signInForm").GetBoolean());

        // The cookie the browser held before signing out opens nothing any more.
        var oldCookie = result.GetProperty("before").GetProperty(LoginStack.SessionCookie).GetString();
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/notebook/alice/nb/");
        replay.Headers.Add("cookie", $"{LoginStack.SessionCookie}={oldCookie}");
        replay.Headers.Add("accept", "application/json");
        using var response = await _stack.Http.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task TwoTabsAsync(bool seenBefore)
    {
        string[] paths = ["/notebook/alice/one/", "/notebook/alice/two/?x=2"];

        var result = await BrowserScenario.RunAsync("two-tabs", new { gateway = _stack.Gateway, paths, email = "alice@example.com", seenBefore });

        var tabs = result.GetProperty("tabs").EnumerateArray().ToList();
        Assert.Equal(2, tabs.Count);
        for (var i = 0; i < paths.Length; i++)
        {
            Assert.True(tabs[i].GetProperty("status").GetInt32() == 200, $"tab {i}: {tabs[i]}");
            Assert.Equal(_stack.Gateway + paths[i], tabs[i].GetProperty("url").GetString());
            Assert.Contains("kubeflow-userid: alice@example.com", tabs[i].GetProperty("text").GetString());
        }
    }
}
