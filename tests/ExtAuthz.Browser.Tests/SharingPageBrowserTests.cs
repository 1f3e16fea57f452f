using System.Net.Http.Json;
using System.Text.Json;
using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;

namespace ExtAuthz.Browser.Tests;

/// <summary>
/// The sharing page in a real headless chromium: the owner signs in through the development gateway (our own login),
/// opens the page on the workspace API's port, shares the workspace with a viewer and removes them again; Check gives
/// the viewer read-only access after the share and none after the removal.
/// </summary>
public sealed class SharingPageBrowserTests : IAsyncLifetime
{
    private readonly string _folder = CopySamples();
    private BrowserStack _stack = null!;

    public async Task InitializeAsync() => _stack = await BrowserStack.StartAsync((gateway, ops) =>
        [.. LoginStack.Arguments(gateway, ops), $"--Policy:Directory={_folder}", "--Policy:DirectoryDebounce=00:00:00.050",
            "--SelfService:Enabled=true", "--SelfService:Registration=true"]);

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task SharingPage_OwnerSharesWithAViewerThenRemoves_CheckFollows()
    {
        var seen = new Dictionary<string, string>();
        var result = await BrowserScenario.RunAsync("sharing-page",
            new { gateway = _stack.Gateway, api = $"http://127.0.0.1:{_stack.Server.ApiPort}", email = "alice@example.com", workspace = "alice", member = "erin@example.com" },
            async (checkpoint, _) =>
            {
                seen[checkpoint + ":get"] = await CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/");
                seen[checkpoint + ":post"] = await CheckAsync("erin@example.com", "POST", "/notebook/alice/nb/api/kernels");
            });

        var before = result.GetProperty("before");
        Assert.Equal(200, before.GetProperty("status").GetInt32());
        Assert.Contains("Signed in as alice@example.com", before.GetProperty("text").GetString());
        Assert.Contains("bob@example.com", before.GetProperty("text").GetString());
        Assert.EndsWith("/workspaces?done=done", result.GetProperty("added").GetProperty("url").GetString());
        Assert.Contains("erin@example.com\tview", result.GetProperty("added").GetProperty("text").GetString());
        Assert.EndsWith("/workspaces?done=done", result.GetProperty("removed").GetProperty("url").GetString());
        Assert.DoesNotContain("erin@example.com", result.GetProperty("removed").GetProperty("text").GetString());
        Assert.Equal("view", seen["shared:get"]);
        Assert.Equal("read_only", seen["shared:post"]);
        Assert.Equal("no_access", seen["removed:get"]);
    }

    /// <summary>A Check for the user's own development token: the role granted, or the deny's reason.</summary>
    private async Task<string> CheckAsync(string user, string method, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_stack.OpsPort}") };
        using var minted = await http.PostAsJsonAsync("/dev/token", new { user });
        var token = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        var client = new Authorization.AuthorizationClient(_stack.Server.Channel);
        var response = await client.CheckAsync(Requests.Istio(method, path, headers: [KeyValuePair.Create("authorization", $"Bearer {token}")]));
        return response.Status.Code == 0 ? response.DynamicMetadata.Fields["role"].StringValue : response.Status.Message;
    }

    private static string CopySamples()
    {
        var folder = Path.Combine(Path.GetTempPath(), "extauthz-sharing-page-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Samples, "*.yaml"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }
}
