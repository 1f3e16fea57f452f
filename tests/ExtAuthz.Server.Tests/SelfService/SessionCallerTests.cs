using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using ExtAuthz.Server.Login;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>A browser session of our own login is a caller of the workspace API, as it is of Check; a forged cookie is not.</summary>
public sealed class SessionCallerTests : IAsyncLifetime
{
    private SelfServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await SelfServiceHost.StartAsync([
        "--Login:Oidc:Issuer=urn:extauthz:dev", "--Login:Oidc:ClientId=extauthz-dev", "--Login:Oidc:ClientSecret=test",
        "--Login:Oidc:AuthorizationEndpoint=http://127.0.0.1:9/auth", "--Login:Oidc:TokenEndpoint=http://127.0.0.1:9/token",
    ]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Session_Owner_ReadsAndShares()
    {
        var cookie = "__Host-extauthz-session=" + await SessionAsync("alice@example.com");

        var exists = await _host.CallAsync(null, HttpMethod.Get, "/api/workgroup/exists", null, ("cookie", cookie));
        var shared = await _host.CallAsync(null, HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" },
            ("cookie", cookie), ("sec-fetch-site", "same-origin"));

        Assert.Equal((200, """{"user":"alice","hasAuth":true,"hasWorkgroup":true,"registrationFlowAllowed":true}"""), (exists.Status, exists.Body));
        Assert.Equal(200, shared.Status);
        Assert.Equal("edit", await _host.CheckAsync("erin@example.com", "POST", "/notebook/alice/nb/api/kernels"));
    }

    [Fact]
    public async Task Session_ForgedCookie_Is401()
    {
        var real = await SessionAsync("alice@example.com");
        var forged = "__Host-extauthz-session=" + (real[0] == 'A' ? 'B' : 'A') + real[1..];

        var answer = await _host.CallAsync(null, HttpMethod.Get, "/api/workgroup/exists", null, ("cookie", forged));

        Assert.Equal(401, answer.Status);
    }

    private async Task<string> SessionAsync(string user)
    {
        var login = _host.Server.Services.GetRequiredService<LoginRuntime>();
        var token = await _host.TokenAsync(user);
        var principal = new Principal("urn:extauthz:dev", user, user, [], DateTimeOffset.UtcNow.AddHours(12), DateTimeOffset.UtcNow);
        return await login.Sessions.CreateAsync(principal, new TokenResponse(token, null), CancellationToken.None);
    }
}
