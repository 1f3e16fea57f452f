using ExtAuthz.Server.Tests.Operations.Support;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>After traffic, <c>/metrics</c> holds the fixed series with exactly the counts of that traffic.</summary>
public sealed class MetricsScrapeTests : IAsyncLifetime
{
    private OpsServer _server = null!;

    public async Task InitializeAsync()
    {
        var authenticator = new FakeAuthenticator().Add("alice-token", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(5)));
        _server = await OpsServer.StartAsync(authenticator);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Scrape_AfterTraffic_CountsDecisionsByOutcomeAndReason()
    {
        for (var i = 0; i < 3; i++)
        {
            await _server.CheckAsync("/dex/auth");
        }

        await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/");
        await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/");
        await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", token: "forged");
        await _server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", token: "alice-token");

        var scrape = await _server.ScrapeAsync();

        Assert.Equal(3, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"allow\",reason=\"public\"}"));
        Assert.Equal(2, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"deny\",reason=\"missing_token\"}"));
        Assert.Equal(1, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"deny\",reason=\"invalid_token\"}"));
        Assert.Equal(1, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"deny\",reason=\"no_access\"}"));
        Assert.Equal(0, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"dry_run\",reason=\"no_access\"}"));
        Assert.Equal(3, Scrape.Value(scrape, "extauthz_check_duration_seconds_count{outcome=\"allow\"}"));
        Assert.Equal(4, Scrape.Value(scrape, "extauthz_check_duration_seconds_count{outcome=\"deny\"}"));
        Assert.Equal(4, Scrape.Value(scrape, "extauthz_check_duration_seconds_bucket{outcome=\"deny\",le=\"+Inf\"}"));
    }

    [Fact]
    public async Task Scrape_Always_HasProcessAndRuntimeSeries()
    {
        var scrape = await _server.ScrapeAsync();

        Assert.True(Scrape.Value(scrape, "process_working_set_bytes") > 1_000_000, scrape);
        Assert.True(Scrape.Value(scrape, "dotnet_total_memory_bytes") > 0, scrape);
        Assert.True(Scrape.Value(scrape, "process_cpu_seconds_total") > 0, scrape);
        Assert.True(Scrape.Value(scrape, "dotnet_collection_count_total{generation=\"2\"}") >= 0, scrape);
    }

    [Fact]
    public async Task Scrape_Always_HasStateSeriesAndPrometheusContentType()
    {
        using var response = await _server.Server.Http.GetAsync("/metrics");
        var scrape = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, Scrape.Value(scrape, "extauthz_revocations"));
        Assert.Equal(0, Scrape.Value(scrape, "extauthz_audit_dropped_total"));
        Assert.Null(Scrape.Value(scrape, "extauthz_redis_connected"));
        Assert.Null(Scrape.Value(scrape, "extauthz_revocations_pending"));
        Assert.Contains("# TYPE extauthz_check_duration_seconds histogram", scrape, StringComparison.Ordinal);
        Assert.Contains("# TYPE extauthz_decisions_total counter", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", scrape, StringComparison.Ordinal);
    }
}
