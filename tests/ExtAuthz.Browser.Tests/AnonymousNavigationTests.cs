namespace ExtAuthz.Browser.Tests;

/// <summary>The harness itself: a real chromium through the development gateway, before anyone has signed in.</summary>
public sealed class AnonymousNavigationTests : IAsyncLifetime
{
    private BrowserStack _stack = null!;

    public async Task InitializeAsync() => _stack = await BrowserStack.StartAsync();

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Navigate_NoTokenNoLogin_Sees401WithItsReason()
    {
        var result = await BrowserScenario.RunAsync("anonymous-navigation", new { gateway = _stack.Gateway, path = "/notebook/alice/nb/" });

        Assert.Equal(401, result.GetProperty("status").GetInt32());
        Assert.Equal(_stack.Gateway + "/notebook/alice/nb/", result.GetProperty("url").GetString());
        Assert.Contains("\"reason\":\"missing_token\"", result.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Navigate_PublicPath_ReachesTheEchoAppWithoutIdentity()
    {
        var result = await BrowserScenario.RunAsync("anonymous-navigation", new { gateway = _stack.Gateway, path = "/dex/auth" });

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Contains("no kubeflow-userid", result.GetProperty("text").GetString());
        Assert.Contains("Development gateway: not for production.", result.GetProperty("text").GetString());
    }
}
