using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Operations;
using ExtAuthz.Server.Tests.Operations.Support;
using ExtAuthz.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>Shutdown: readiness drops first, and a Check already in flight still gets its answer (and its log line).</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_WithCheckInFlight_DropsReadinessThenAnswersTheCheck()
    {
        var gate = new GateAuthenticator();
        var audit = new CapturedOutput();
        await using var server = await ServerInstance.StartAsync(["--Server:ShutdownDrain=00:00:20"], builder => builder.Host.UseServiceProviderFactory(
            new OverridingServiceProviderFactory(services =>
            {
                services.AddSingleton<IAuthenticator>(gate);
                services.AddSingleton(new Server.Operations.AuditOutput(audit));
            })));
        var client = new Envoy.Service.Auth.V3.Authorization.AuthorizationClient(server.Channel);
        var readiness = server.Services.GetRequiredService<ReadinessState>();
        var app = (IHost)server.Services.GetRequiredService<IHost>();

        var inFlight = client.CheckAsync(Requests.Istio("GET", "/notebook/alice/")).ResponseAsync;
        await gate.WaitUntilEnteredAsync();
        var stopping = app.StopAsync();
        await WaitUntilAsync(() => readiness.IsDraining);

        Assert.False(readiness.IsReady);
        Assert.False(inFlight.IsCompleted);
        gate.Open();
        var response = await inFlight;
        await stopping;

        Assert.Equal("missing_token", response.DynamicMetadata.Fields["reason"].StringValue);
        Assert.Contains(audit.Lines, l => l.Contains("\"reason\":\"missing_token\"", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}
