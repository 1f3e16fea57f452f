using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Security.Cryptography;
using ExtAuthz.Redis;
using ExtAuthz.Server.Tests.Operations.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ExtAuthz.Browser.Tests;

/// <summary>
/// Two replicas sharing a real redis-server and one key ring, each behind its own development gateway, and one real
/// browser: a session made through one replica works on the other; with Redis stopped, the session the replicas
/// already know keeps working and a new login gets a clear 503, never a redirect loop; signing out through one replica
/// ends the session on the other, and so does revoking the user on the other (through the revocation channel: the
/// session cache is set far longer than the wait).
/// </summary>
public sealed class TwoReplicaLoginTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private readonly string _keyRing = Path.Combine(Path.GetTempPath(), $"extauthz-keyring-{Guid.NewGuid():N}");
    private RedisServer _redis = null!;
    private BrowserStack _a = null!;
    private BrowserStack _b = null!;

    public TwoReplicaLoginTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_keyRing, "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        _redis = await RedisServer.StartAsync();
        IEnumerable<string> Replica(string gateway, int opsPort) =>
        [
            .. LoginStack.Arguments(gateway, opsPort),
            $"--Redis:Configuration={_redis.Configuration}",
            "--Redis:ResyncInterval=00:00:05",
            $"--Login:KeyRingFile={_keyRing}",
            "--Login:Session:CacheTtl=00:10:00",
            // A loaded test machine can exceed the production bound (200 ms); Redis away still fails at once.
            "--Login:StoreTimeout=00:00:05",
        ];
        _a = await BrowserStack.StartAsync(Replica);
        _b = await BrowserStack.StartAsync(Replica);
        await Poll.UntilAsync(() => Task.FromResult(StoreConnected(_a) && StoreConnected(_b)), "both replicas reach Redis", Deadline);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
        File.Delete(_keyRing);
    }

    [Fact]
    public async Task SignInOnA_SessionOnB_SurvivesRedisStopping_EndsOnBWhenSignedOutOnA()
    {
        var result = await BrowserScenario.RunAsync("two-replicas",
            new { gatewayA = _a.Gateway, gatewayB = _b.Gateway, path = "/notebook/alice/nb/", email = "alice@example.com", signOut = "/oauth2/sign_out" },
            async (checkpoint, data) =>
            {
                switch (checkpoint)
                {
                    case "redis-stopped":
                        await _redis.KillAsync();
                        await Poll.UntilAsync(() => Task.FromResult(!StoreConnected(_a) && !StoreConnected(_b)), "both replicas see Redis gone", Deadline);
                        break;
                    case "redis-back":
                        await _redis.StartAgainAsync();
                        await Poll.UntilAsync(async () => StoreConnected(_a) && StoreConnected(_b) && await RevocationsConnectedAsync(), "both replicas are back on Redis", Deadline);
                        break;
                    case "signed-out":
                        // The browser's cookie, replayed to B, until B refuses it (B cached the session for ten minutes).
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        await Poll.UntilAsync(async () => await ReplayOnBAsync(data.GetProperty("session").GetString()!) == HttpStatusCode.Unauthorized, "replica B refuses the signed-out session", Deadline);
                        _output.WriteLine($"sign-out on A reached B in {watch.Elapsed.TotalMilliseconds:F0} ms");
                        break;
                }
            });

        Assert.Contains("kubeflow-userid: alice@example.com", result.GetProperty("signedIn").GetProperty("text").GetString());
        Assert.Equal(200, result.GetProperty("onB").GetProperty("status").GetInt32());
        Assert.Contains("kubeflow-userid: alice@example.com", result.GetProperty("onB").GetProperty("text").GetString());
        Assert.Equal(200, result.GetProperty("onBWithoutRedis").GetProperty("status").GetInt32());
        Assert.Contains("kubeflow-userid: alice@example.com", result.GetProperty("onBWithoutRedis").GetProperty("text").GetString());
        var newLogin = result.GetProperty("newLogin");
        Assert.False(newLogin.TryGetProperty("error", out var error), $"a new login while Redis is down: {error}");
        Assert.Equal(503, newLogin.GetProperty("status").GetInt32());
        Assert.StartsWith(_b.Gateway + "/", newLogin.GetProperty("url").GetString());
        _output.WriteLine($"a new login while Redis is down: {newLogin}");
        Assert.True(result.GetProperty("afterSignOut").GetProperty("signInForm").GetBoolean());
    }

    [Fact]
    public async Task RevokeUserOnB_EndsTheBrowserSessionOnA()
    {
        var result = await BrowserScenario.RunAsync("login-navigation", new { gateway = _a.Gateway, path = "/notebook/alice/nb/", email = "alice@example.com" });
        var cookie = result.GetProperty("cookies").GetProperty(LoginStack.SessionCookie).GetString()!;
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(_a, cookie));

        using var minted = await _b.Server.Http.PostAsJsonAsync("/dev/token", new { user = "admin@example.com" });
        var adminToken = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var revoke = new HttpRequestMessage(HttpMethod.Post, "/revocations") { Content = JsonContent.Create(new { user = "alice@example.com" }) };
        revoke.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var revoked = await _b.Server.Http.SendAsync(revoke);
        revoked.EnsureSuccessStatusCode();

        await Poll.UntilAsync(async () => await ReplayAsync(_a, cookie) == HttpStatusCode.Unauthorized, "replica A refuses alice's session", Deadline);
    }

    private static bool StoreConnected(BrowserStack stack) => stack.Server.Services.GetRequiredService<RedisStoreConnection>().IsConnected;

    private Task<bool> RevocationsConnectedAsync() => Task.FromResult(
        _a.Server.Services.GetRequiredService<RedisRevocationReplication>().IsConnected && _b.Server.Services.GetRequiredService<RedisRevocationReplication>().IsConnected);

    private Task<HttpStatusCode> ReplayOnBAsync(string cookie) => ReplayAsync(_b, cookie);

    /// <summary>A request carrying the browser's session cookie, as a script that copied it would send.</summary>
    private static async Task<HttpStatusCode> ReplayAsync(BrowserStack stack, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notebook/alice/nb/");
        request.Headers.Add("cookie", $"{LoginStack.SessionCookie}={cookie}");
        request.Headers.Add("accept", "application/json");
        using var response = await stack.Http.SendAsync(request);
        return response.StatusCode;
    }
}
