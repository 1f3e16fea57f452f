using System.Text.Json;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Server.Operations;
using ExtAuthz.Server.Tests.Operations.Support;
using ExtAuthz.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>Valid settings that surprise (no issuer at all, global dry-run) are said loudly at start and on /readyz.</summary>
public sealed class StartWarningTests
{
    private const string NoIssuer = "no identity issuer is configured";
    private const string DryRun = "Policy:DryRun is on: every request is allowed";

    public static TheoryData<string[], string[]> Cases => new()
    {
        { [], [NoIssuer] },
        { ["--Identity:DevIssuer:Enabled=true"], [] },
        { ["--Identity:Issuers:0:Issuer=https://dex.example.com", "--Identity:Issuers:0:Audiences:0=kf"], [] },
        { ["--Identity:DevIssuer:Enabled=true", "--Policy:DryRun=true"], [DryRun] },
        { ["--Policy:DryRun=true"], [NoIssuer, DryRun] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_Settings_WarnOnlyWhenSurprising(string[] args, string[] expected)
    {
        var (app, errors) = ExtAuthzHost.Build(["--Server:GrpcPort=0", "--Server:HttpPort=0", .. args]);

        Assert.Empty(errors);
        var lines = app!.Services.GetRequiredService<StartWarnings>().Lines;
        Assert.Equal(expected.Length, lines.Count);
        foreach (var (line, start) in lines.Zip(expected))
        {
            Assert.StartsWith(start, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Start_NoIssuerAndDryRun_WarningLinesInTheLogAndOnReadyz()
    {
        var log = new CapturedOutput();
        await using var server = await ServerInstance.StartAsync(["--Policy:DryRun=true"],
            builder => builder.Services.AddSingleton(sp => new LogSink(log, 1 << 20, sp.GetRequiredService<OperationsMetrics>())));

        var noIssuer = await log.WaitForLineAsync(l => l.Contains(NoIssuer, StringComparison.Ordinal));
        var dryRun = await log.WaitForLineAsync(l => l.Contains(DryRun, StringComparison.Ordinal));
        using var readyz = JsonDocument.Parse(await server.Http.GetStringAsync("/readyz"));

        foreach (var (line, start) in new[] { (noIssuer, NoIssuer), (dryRun, DryRun) })
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal("warning", json.GetProperty("level").GetString());
            Assert.Equal(6000, json.GetProperty("event").GetInt32());
            Assert.StartsWith(start, json.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var warnings = readyz.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith(NoIssuer, warnings[0], StringComparison.Ordinal);
        Assert.StartsWith(DryRun, warnings[1], StringComparison.Ordinal);
    }
}
