using System.Net;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>
/// The sharing page over HTTP: what an owner sees, sharing and unsharing through its forms (and the access that follows
/// at Check), the same refusals as the JSON routes, and no cross-site form post.
/// </summary>
public sealed class SharingPageTests : IAsyncLifetime
{
    private SelfServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await SelfServiceHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Origin => $"http://127.0.0.1:{_host.Server.ApiPort}";

    [Fact]
    public async Task Page_Owner_ShowsMembersFormsAndNoScript()
    {
        var (status, body, type) = await _host.CallAsync("alice@example.com", HttpMethod.Get, "/workspaces");

        Assert.Equal((200, "text/html; charset=utf-8"), (status, type));
        Assert.Contains("<td>bob@example.com</td><td>edit</td>", body, StringComparison.Ordinal);
        Assert.Contains("<td>carol@example.com</td><td>view</td>", body, StringComparison.Ordinal);
        Assert.Contains("<td>alice@example.com</td><td>owner</td>", body, StringComparison.Ordinal);
        Assert.Contains("action=\"/workspaces/alice/members\"", body, StringComparison.Ordinal);
        Assert.Contains("<label for=\"email-alice\">Email</label>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Create my workspace", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_NewUser_OffersToCreateTheirWorkspace()
    {
        var (_, body, _) = await _host.CallAsync("erin.smith@example.com", HttpMethod.Get, "/workspaces");

        Assert.Contains("Create my workspace", body, StringComparison.Ordinal);
        Assert.Contains("value=\"erin-smith\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_NoIdentity_Is401()
    {
        var (status, _, _) = await _host.CallAsync(null, HttpMethod.Get, "/workspaces");

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Form_ShareThenRemove_ChangesAccessAtCheck()
    {
        var shared = await PostFormAsync("alice@example.com", "/workspaces/alice/members", [("email", "erin@example.com"), ("role", "view")], ("origin", Origin));
        Assert.Equal((HttpStatusCode.SeeOther, "/workspaces?done=done"), (shared.StatusCode, shared.Headers.Location?.ToString()));
        Assert.Equal("view", await _host.CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/"));
        Assert.Contains("<td>erin@example.com</td><td>view</td>", (await _host.CallAsync("alice@example.com", HttpMethod.Get, "/workspaces")).Body, StringComparison.Ordinal);

        var removed = await PostFormAsync("alice@example.com", "/workspaces/alice/members/remove", [("email", "erin@example.com"), ("role", "view")], ("sec-fetch-site", "same-origin"));
        Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        Assert.Equal("no_access", await _host.CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/"));
    }

    [Fact]
    public async Task Form_CreateMyWorkspace_MakesTheCallerOwner()
    {
        var created = await PostFormAsync("erin@example.com", "/workspaces/create", [("name", "erin")], ("origin", Origin));

        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.Equal("owner", await _host.CheckAsync("erin@example.com", "GET", "/notebook/erin/nb/"));
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Forbidden)]
    [InlineData("origin", "http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("sec-fetch-site", "cross-site", HttpStatusCode.Forbidden)]
    public async Task Form_CrossSiteOrWithoutBrowserHeaders_IsRefusedAndWritesNothing(string? header, string? value, HttpStatusCode expected)
    {
        var response = await PostFormAsync("alice@example.com", "/workspaces/alice/members", [("email", "erin@example.com"), ("role", "edit")],
            header is null ? [] : [(header, value!)]);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("no_access", await _host.CheckAsync("erin@example.com", "GET", "/notebook/alice/nb/"));
    }

    [Theory]
    [InlineData("mallory@example.com", "erin@example.com", "edit", HttpStatusCode.Forbidden, "only the owner of workspace alice")]
    [InlineData("alice@example.com", "erin@example.com", "admin", HttpStatusCode.Forbidden, "only a cluster admin may grant")]
    [InlineData("alice@example.com", "<script>alert(1)</script>@x.io", "edit", HttpStatusCode.BadRequest, "well-formed email")]
    public async Task Form_Refused_ShowsTheReasonWithTheRefusalsStatus(string user, string email, string role, HttpStatusCode status, string text)
    {
        var response = await PostFormAsync(user, "/workspaces/alice/members", [("email", email), ("role", role)], ("origin", Origin));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(text, body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostFormAsync(string user, string path, (string, string)[] fields, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2))),
        };
        request.Headers.Authorization = new("Bearer", await _host.TokenAsync(user));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _host.Api.SendAsync(request);
    }
}
