using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Login;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>Who may start a login (navigations only), how much state that may leave, and logout.</summary>
public sealed class StartAndSignOutTests
{
    public static TheoryData<string, string, string?, string> Background => new()
    {
        { "fetch", "GET", "cors", "application/json" },
        { "XHR without fetch metadata", "GET", null, "application/json, text/plain, */*" },
        { "no-cors image", "GET", "no-cors", "image/avif,image/webp,*/*" },
        { "WebSocket", "GET", "websocket", "*/*" },
        { "POST form", "POST", "navigate", "text/html" },
        { "bare */*", "GET", null, "*/*" },
    };

    [Theory]
    [MemberData(nameof(Background))]
    public async Task Start_BackgroundRequest_401AndNoState(string name, string method, string? mode, string accept)
    {
        using var bed = LoginTestBed.Create();

        var answer = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2F", $"{bed.Settings.BindingCookie}={LoginTestBed.BrowserA}", method, mode, accept: accept));

        Assert.True(answer.Status == 401, name);
        Assert.Equal("missing_token", answer.Reason.ToWire());
        Assert.Empty(LoginTestBed.Headers(answer, "set-cookie"));
        Assert.Equal(0, bed.StateCount);
    }

    [Fact]
    public async Task Start_TenThousandBackgroundRequests_NoStateGrowth()
    {
        using var bed = LoginTestBed.Create();
        for (var i = 0; i < 10_000; i++)
        {
            var answer = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2Fapi%2Fx" + i, null, mode: i % 2 == 0 ? "cors" : null, accept: "application/json"));
            Assert.Equal(401, answer.Status);
        }

        Assert.Equal(0, bed.StateCount);
    }

    [Fact]
    public async Task Start_ManyNavigationsOfOneBrowser_StateBoundedPerBrowser()
    {
        using var bed = LoginTestBed.Create();
        for (var i = 0; i < 1_000; i++)
        {
            await bed.StartAsync(rd: "/tab/" + i);
        }

        Assert.Equal(bed.Settings.MaxAttemptsPerBrowser, bed.StateCount);
    }

    [Fact]
    public async Task Start_TwoTabsAtOnce_BothFinish()
    {
        using var bed = LoginTestBed.Create();
        var tab1 = await bed.StartAsync(rd: "/one/");
        var tab2 = await bed.StartAsync(rd: "/two/");
        bed.Issue(tab1, code: "code-1");
        bed.Issue(tab2, code: "code-2");

        var second = await bed.SendAsync(bed.Callback(tab2, code: "code-2"));
        var first = await bed.SendAsync(bed.Callback(tab1, code: "code-1"));

        Assert.Equal(("/one/", "/two/"), (LoginTestBed.Header(first, "location"), LoginTestBed.Header(second, "location")));
        Assert.Equal(2, bed.SessionCount);
    }

    [Fact]
    public async Task Start_NoBindingCookie_SetsOneBoundToTheAttempt()
    {
        using var bed = LoginTestBed.Create();

        var answer = await bed.SendAsync(bed.Request(bed.Settings.StartPath + "?rd=%2F%2Fevil.example.com"));

        Assert.Equal(302, answer.Status);
        Assert.Matches(@"^__Host-extauthz-bind=[A-Za-z0-9_-]{22}; Max-Age=2592000; Path=/; Secure; HttpOnly; SameSite=Lax$", LoginTestBed.Header(answer, "set-cookie"));
        Assert.Contains("state=", LoginTestBed.Header(answer, "location"));
        Assert.Equal(1, bed.StateCount);
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task SignOut_CrossSite_RefusedAndSessionKept(string site)
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();

        var answer = await bed.SendAsync(bed.Request(bed.Settings.SignOutPath, cookie, site: site));

        Assert.Equal((403, "cross_site"), (answer.Status, answer.Reason.ToWire()));
        Assert.Equal(1, bed.SessionCount);
        Assert.Empty(bed.Ended);
    }

    [Theory]
    [InlineData("same-origin")]
    [InlineData("none")]
    [InlineData(null)]
    public async Task SignOut_SameOrigin_SessionEndedCookiesExpiredRevocationPublished(string? site)
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();

        var answer = await bed.SendAsync(bed.Request(bed.Settings.SignOutPath + "?rd=%2F%2Fevil.example.com", cookie, site: site));

        Assert.Equal((302, "/"), (answer.Status, LoginTestBed.Header(answer, "location")));
        Assert.Equal(
        [
            "__Host-extauthz-session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax",
            "__Host-extauthz-bind=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax",
        ], LoginTestBed.Headers(answer, "set-cookie"));
        Assert.Equal(0, bed.SessionCount);
        var ended = Assert.Single(bed.Ended);
        Assert.Equal("alice@example.com", ended.UserId);
        Assert.StartsWith("session:", ended.TokenId);
    }

    [Fact]
    public async Task SignOut_EndSessionEndpointAdvertised_RedirectsWithIdTokenHint()
    {
        using var bed = LoginTestBed.Create(o =>
        {
            o.Login.Oidc.EndSessionEndpoint = "https://dex.test/dex/logout";
            o.Login.Oidc.PostLogoutRedirectUri = "https://kubeflow.example.com/";
        });
        var cookie = await bed.LogInAsync();

        var answer = await bed.SendAsync(bed.Request(bed.Settings.SignOutPath, cookie, site: "same-origin"));

        var location = LoginTestBed.Header(answer, "location")!;
        Assert.StartsWith("https://dex.test/dex/logout?client_id=kubeflow-oidc-authservice&id_token_hint=eyJ", location);
        Assert.EndsWith("&post_logout_redirect_uri=https%3A%2F%2Fkubeflow.example.com%2F", location);
    }

    [Fact]
    public async Task UserInfo_Session_UserAndGroupsJson()
    {
        using var bed = LoginTestBed.Create();
        var cookie = await bed.LogInAsync();

        var answer = await bed.SendAsync(bed.Request(bed.Settings.UserInfoPath, cookie, mode: "cors"));
        var none = await bed.SendAsync(bed.Request(bed.Settings.UserInfoPath, null, mode: "cors"));

        Assert.Equal((200, "{\"user\":\"alice@example.com\",\"groups\":[\"team-a\",\"team-b\"]}"), (answer.Status, answer.Body));
        Assert.Equal((401, "missing_token"), (none.Status, none.Reason.ToWire()));
    }

    [Theory]
    [InlineData("/oauth2/")]
    [InlineData("/oauth2/sign_in")]
    [InlineData("/oauth2/start/../callback")]
    public async Task Handle_OtherPathUnderPrefix_NotFoundOrNormalised(string path)
    {
        using var bed = LoginTestBed.Create();

        var answer = await bed.SendAsync(bed.Request(path, null, mode: "cors"));

        Assert.True(answer.Status is 404 or 400, $"{answer.Status} {answer.Detail}");
    }
}
