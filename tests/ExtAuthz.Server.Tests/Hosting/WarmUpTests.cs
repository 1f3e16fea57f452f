using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Envoy.Service.Auth.V3;
using ExtAuthz.Server.Operations;
using ExtAuthz.Server.Tests.Operations.Support;
using ExtAuthz.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// Ready means warm: synthetic Checks run through the reader, the decision and the writer before readiness, and are
/// neither counted nor logged. No timing is asserted here; benchmarks/ExtAuthz.FirstCheck measures the first Check.
/// </summary>
public sealed class WarmUpTests
{
    [Fact]
    public async Task Process_FreshServer_WarmsUpBeforeReadyAndTheFirstCheckAfterItSucceeds()
    {
        await using var server = await ChildServer.StartAsync(["--Identity:DevIssuer:Enabled=true"], readStdout: true);

        using var readyz = JsonDocument.Parse(await server.Http.GetStringAsync("/readyz"));
        var warmup = readyz.RootElement.GetProperty("components").GetProperty("warmup");
        var before = DecisionsCounted(await server.Http.GetStringAsync("/metrics"));
        using var minted = await server.Http.PostAsJsonAsync("/dev/token", new { user = "alice@example.com" });
        var token = (await minted.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var response = await new Authorization.AuthorizationClient(server.Channel).CheckAsync(
            Requests.Istio("GET", "/notebook/alice/nb/", headers: [new("authorization", $"Bearer {token}")]));
        var after = DecisionsCounted(await server.Http.GetStringAsync("/metrics"));

        Assert.True(warmup.GetProperty("ready").GetBoolean());
        Assert.True(warmup.GetProperty("gates").GetBoolean());
        Assert.Equal((64 * 4) + (16 * 2), warmup.GetProperty("state").GetProperty("checks").GetInt32());
        Assert.Equal(0, response.Status.Code);
        Assert.Equal("alice@example.com", Assert.Single(response.OkResponse.Headers).Header.Value);
        Assert.Equal(0, before);
        Assert.Equal(1, after);
    }

    [Fact]
    public async Task Start_WarmUpRounds_LogsOneLineAndNoDecision()
    {
        var log = new CapturedOutput();
        await using var server = await ServerInstance.StartAsync(
            ["--Server:WarmUpRounds=2", "--Audit:AllowSampleRate=1", "--Logging:LogLevel:ExtAuthz=Information"],
            builder => builder.Services.AddSingleton(sp => new LogSink(log, 1 << 20, sp.GetRequiredService<OperationsMetrics>())));

        var line = await log.WaitForLineAsync(l => l.Contains("\"event\":6001", StringComparison.Ordinal));
        using var readyz = JsonDocument.Parse(await server.Http.GetStringAsync("/readyz"));

        Assert.StartsWith("Warm-up: 10 synthetic Checks ran", JsonDocument.Parse(line).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("ready", readyz.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain(log.Lines, l => l.Contains("\"log\":\"decision\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_NoWarmUp_ReadyWithoutSyntheticChecks()
    {
        await using var server = await ServerInstance.StartAsync(["--Server:WarmUpRounds=0"]);

        using var readyz = JsonDocument.Parse(await server.Http.GetStringAsync("/readyz"));

        var warmup = readyz.RootElement.GetProperty("components").GetProperty("warmup");
        Assert.True(warmup.GetProperty("ready").GetBoolean());
        Assert.Equal(0, warmup.GetProperty("state").GetProperty("checks").GetInt32());
    }

    private static double DecisionsCounted(string scrape) => scrape.Split('\n')
        .Where(l => l.StartsWith("extauthz_decisions_total{", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
