using System.Text.Json;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>
/// The identity provider misbehaving while the service runs: down at start, down later, answering HTML, broken JSON
/// or too slowly, and bursts of unknown kids. The service keeps serving, keeps its last good key set, and never
/// fetches more than once per Identity:KeyRefreshMinInterval (10 s) — counted by the provider's server.
/// </summary>
public sealed class ProviderFaultTests
{
    private const string Path = "/jupyter/api/namespaces/alice/notebooks";

    [Fact]
    public async Task Check_ProviderDownAtStartThenUp_ServesThenValidates()
    {
        await using var issuers = new HostedIssuers(startDex: false);
        await using var host = await issuers.StartHostAsync();
        var keys = host.Runtime.Keys[0];
        await KeyWait.StateAsync(keys, "unavailable");

        var whileDown = CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.DexToken())));
        using var readyzResponse = await host.Ops.GetAsync("/readyz");
        var readyz = JsonDocument.Parse(await readyzResponse.Content.ReadAsStringAsync()).RootElement;
        var component = readyz.GetProperty("components").GetProperty("keys " + issuers.Dex.Issuer);
        Assert.Equal((401, "invalid_token", "no keys loaded"), (whileDown.Status, whileDown.Reason, whileDown.Detail));
        Assert.False(component.GetProperty("gates").GetBoolean());
        Assert.Equal("unavailable", component.GetProperty("state").GetProperty("state").GetString());
        Assert.Contains("Connection refused", component.GetProperty("state").GetProperty("lastError").GetString());

        issuers.Dex.Up();
        issuers.Time.Advance(TimeSpan.FromSeconds(10));
        await KeyWait.LoadedAsync(keys);

        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.DexToken()))).Status);
    }

    [Fact]
    public async Task Check_ProviderDownLater_LastGoodKeysKeptThenRecovered()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        var keys = host.Runtime.Keys[0];
        await KeyWait.LoadedAsync(keys);

        await issuers.Dex.DownAsync();
        issuers.Time.Advance(TimeSpan.FromMinutes(1));
        await KeyWait.StateAsync(keys, "stale");

        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.DexToken()))).Status);
        Assert.Equal(["dex-1"], keys.Status().KeyIds);

        issuers.Dex.Up();
        issuers.Time.Advance(TimeSpan.FromSeconds(10));
        await KeyWait.StateAsync(keys, "loaded");
        Assert.Null(keys.Status().LastError);
    }

    [Theory]
    [InlineData(JwksBehavior.Html, "key set is not a JWKS JSON document (content-type text/html)")]
    [InlineData(JwksBehavior.BrokenJson, "key set is not a JWKS JSON document (content-type application/json)")]
    [InlineData(JwksBehavior.ServerError, "HTTP 503")]
    public async Task Check_ProviderAnswersGarbage_LastGoodKeysKept(JwksBehavior behavior, string error)
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        var keys = host.Runtime.Keys[0];
        await KeyWait.LoadedAsync(keys);

        issuers.Dex.Behavior = behavior;
        issuers.Time.Advance(TimeSpan.FromMinutes(1));
        await KeyWait.StateAsync(keys, "stale");

        Assert.Contains(error, keys.Status().LastError);
        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.DexToken()))).Status);
    }

    [Fact]
    public async Task Check_ProviderSlowerThanFetchTimeout_RequestsUnaffectedAndKeysKept()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        var keys = host.Runtime.Keys[0];
        await KeyWait.LoadedAsync(keys);

        issuers.Dex.Behavior = JwksBehavior.Hold;
        issuers.Time.Advance(TimeSpan.FromMinutes(1));
        await issuers.Dex.RequestHeld.WaitAsync(KeyWait.Patience);
        var duringFetch = CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.DexToken())));
        issuers.Time.Advance(TimeSpan.FromSeconds(5));
        await KeyWait.StateAsync(keys, "stale");
        issuers.Dex.ReleaseHeld();

        Assert.Equal(403, duringFetch.Status);
        Assert.StartsWith("timed out after 00:00:05", keys.Status().LastError);
        Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.DexToken()))).Status);
    }

    [Fact]
    public async Task Check_BurstsOfUnknownKids_AtMostOneFetchPerInterval()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        var keys = host.Runtime.Keys[0];
        await KeyWait.LoadedAsync(keys);
        Assert.Equal(1, issuers.Dex.JwksRequests);

        for (var round = 1; round <= 3; round++)
        {
            var fetched = keys.NextAttemptApplied;

            // 100 unknown kids over one second, with fresh valid tokens among them.
            for (var i = 0; i < 100; i++)
            {
                var unknown = CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.UnknownKidToken((round * 1000) + i))));
                Assert.Equal((401, "unknown kid"), (unknown.Status, unknown.Detail));
                if (i % 10 == 0)
                {
                    Assert.Equal(403, CheckAnswer.From(await host.CheckAsync(Path, Bearer(issuers.DexToken()))).Status);
                }

                issuers.Time.Advance(TimeSpan.FromMilliseconds(10));
            }

            Assert.Equal(round, issuers.Dex.JwksRequests);
            issuers.Time.Advance(TimeSpan.FromSeconds(9));
            await fetched.WaitAsync(KeyWait.Patience);
            Assert.Equal(round + 1, issuers.Dex.JwksRequests);
        }
    }

    private static (string, string) Bearer(string token) => ("authorization", "Bearer " + token);
}
