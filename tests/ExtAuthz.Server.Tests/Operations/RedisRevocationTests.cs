using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Server.Tests.Operations.Support;
using Xunit.Abstractions;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>
/// Revocations across two replicas through a real redis-server: revoke on one, the other denies; with Redis killed,
/// a revocation is accepted locally and reaches the other replica once Redis is back. No timing assertion: each
/// wait has a generous deadline, and the measured propagation time is only reported.
/// </summary>
public sealed class RedisRevocationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;
    private readonly FakeAuthenticator _authenticator = new FakeAuthenticator()
        .Add("admin-token", FakeAuthenticator.User("admin@example.com", TimeSpan.FromMinutes(1)))
        .Add("alice-token", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(1)))
        .Add("bob-token", FakeAuthenticator.User("bob@example.com", TimeSpan.FromMinutes(1)))
        .Add("carol-token", FakeAuthenticator.User("carol@example.com", TimeSpan.FromMinutes(1)));

    private RedisServer _redis = null!;
    private OpsServer _a = null!;
    private OpsServer _b = null!;

    public RedisRevocationTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        string[] args = ["--Policy:ClusterAdmins:0=admin@example.com", $"--Redis:Configuration={_redis.Configuration}", "--Redis:ResyncInterval=00:00:05"];
        _a = await OpsServer.StartAsync(_authenticator, args);
        _b = await OpsServer.StartAsync(_authenticator, args);
        await WaitUntilAsync(async () => await RedisConnectedAsync(_a) && await RedisConnectedAsync(_b), "both replicas connect to Redis");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Revoke_OnOneReplica_TheOtherDenies()
    {
        Assert.Equal("no_access", await ReasonOnAsync(_b, "alice-token"));

        var watch = Stopwatch.StartNew();
        var answer = await RevokeAsync(_a, "alice@example.com");
        await WaitUntilAsync(async () => await ReasonOnAsync(_b, "alice-token") == "token_revoked", "replica B denies alice");
        watch.Stop();

        _output.WriteLine($"revocation propagation A -> B through Redis: {watch.Elapsed.TotalMilliseconds:F1} ms (revoke call included)");
        Assert.Equal("sent", answer["replicated"]!.GetValue<string>());
        Assert.Equal("token_revoked", await ReasonOnAsync(_a, "alice-token"));
        Assert.Equal("no_access", await ReasonOnAsync(_b, "bob-token"));
    }

    [Fact]
    public async Task Revoke_WhileRedisIsDown_ReachesTheOtherReplicaWhenRedisReturns()
    {
        await _redis.KillAsync();
        await WaitUntilAsync(async () => !await RedisConnectedAsync(_a) && !await RedisConnectedAsync(_b), "both replicas see Redis down");

        var answer = await RevokeAsync(_a, "bob@example.com");

        Assert.Equal("queued until Redis returns", answer["replicated"]!.GetValue<string>());
        Assert.Equal("token_revoked", await ReasonOnAsync(_a, "bob-token"));
        Assert.Equal("no_access", await ReasonOnAsync(_b, "bob-token"));
        Assert.Equal(1, Scrape.Value(await _a.ScrapeAsync(), "extauthz_revocations_pending"));
        Assert.Equal(0, Scrape.Value(await _a.ScrapeAsync(), "extauthz_redis_connected"));
        using (var readyz = await _a.Server.Http.GetAsync("/readyz"))
        {
            var body = await readyz.Content.ReadFromJsonAsync<JsonObject>();
            Assert.False(body!["components"]!["redis"]!["ready"]!.GetValue<bool>());
        }

        await WaitUntilAsync(async () => await RedisLastErrorAsync(_a) is { Length: > 0 }, "readyz says why Redis is unavailable");

        var watch = Stopwatch.StartNew();
        await _redis.StartAgainAsync();
        await WaitUntilAsync(async () => await ReasonOnAsync(_b, "bob-token") == "token_revoked", "replica B denies bob after Redis returns");
        _output.WriteLine($"queued revocation reached replica B {watch.Elapsed.TotalMilliseconds:F0} ms after redis-server restarted");

        await WaitUntilAsync(async () => Scrape.Value(await _a.ScrapeAsync(), "extauthz_revocations_pending") == 0, "A's queue empties");
        Assert.Equal(1, Scrape.Value(await _b.ScrapeAsync(), "extauthz_redis_connected"));
        Assert.Equal("no_access", await ReasonOnAsync(_b, "carol-token"));
    }

    [Fact]
    public async Task Readyz_RedisNameThatDoesNotResolve_SaysWhyAndChecksStillAnswer()
    {
        await using var server = await OpsServer.StartAsync(_authenticator, "--Redis:Configuration=redis.invalid:6379,connectTimeout=500");

        await WaitUntilAsync(async () => await RedisLastErrorAsync(server) is { Length: > 0 }, "readyz reports why Redis is unavailable");

        Assert.Equal(0, Scrape.Value(await server.ScrapeAsync(), "extauthz_redis_connected"));
        Assert.Equal("no_access", await ReasonOnAsync(server, "bob-token"));
    }

    private static async Task<string?> RedisLastErrorAsync(OpsServer server)
    {
        using var readyz = await server.Server.Http.GetAsync("/readyz");
        var body = await readyz.Content.ReadFromJsonAsync<JsonObject>();
        return body?["components"]?["redis"]?["state"]?["lastError"]?.GetValue<string>();
    }

    private static async Task<bool> RedisConnectedAsync(OpsServer server) =>
        Scrape.Value(await server.ScrapeAsync(), "extauthz_redis_connected") == 1;

    private static async Task<string> ReasonOnAsync(OpsServer server, string token) =>
        (await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", token)).DynamicMetadata.Fields["reason"].StringValue;

    private static async Task<JsonObject> RevokeAsync(OpsServer server, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/revocations") { Content = JsonContent.Create(new { user }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "admin-token");
        using var response = await server.Server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Poll.UntilAsync(condition, what, Deadline);
}
