using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;
using Grpc.Core;

namespace ExtAuthz.Server.Tests.EndToEnd;

/// <summary>
/// The server's own decision time comes back in dynamic_metadata only for a caller that asks (the CLI); Envoy never
/// asks, and the reused answers never carry it.
/// </summary>
public sealed class DecisionTimeTests
{
    private const string Field = "decision_time_us";

    [Theory]
    [InlineData("Lean")]
    [InlineData("Generated")]
    public async Task Check_AskedOrNot_DecisionTimeOnlyWhenAsked(string reader)
    {
        await using var server = await ServerInstance.StartAsync([$"--Server:CheckReader={reader}"]);
        var client = new Authorization.AuthorizationClient(server.Channel);
        var request = Requests.Istio("GET", "/notebook/alice/nb/");
        var ask = new Metadata { { "extauthz-decision-time", "1" } };

        var plain = await client.CheckAsync(request);
        var asked = await client.CheckAsync(request, ask);
        var plainAgain = await client.CheckAsync(request);

        Assert.False(plain.DynamicMetadata.Fields.ContainsKey(Field));
        Assert.True(asked.DynamicMetadata.Fields[Field].NumberValue > 0);
        Assert.False(plainAgain.DynamicMetadata.Fields.ContainsKey(Field));
        Assert.Equal("missing_token", asked.DynamicMetadata.Fields["reason"].StringValue);
        Assert.Equal(plain.DeniedResponse, asked.DeniedResponse);
    }

    /// <summary>Only the warm-up knows its marker: a caller that imitates it is timed, counted and logged like any other.</summary>
    [Fact]
    public async Task Check_ImitatedWarmUpMarker_IsCountedLikeAnyOther()
    {
        await using var server = await ServerInstance.StartAsync();
        var client = new Authorization.AuthorizationClient(server.Channel);

        var response = await client.CheckAsync(Requests.Istio("GET", "/notebook/alice/nb/"),
            new Metadata { { "extauthz-decision-time", "warm-up 00000000000000000000000000000000" } });
        var scrape = await server.Http.GetStringAsync("/metrics");

        Assert.True(response.DynamicMetadata.Fields[Field].NumberValue > 0);
        Assert.Contains("extauthz_decisions_total{outcome=\"deny\",reason=\"missing_token\"} 1", scrape, StringComparison.Ordinal);
    }
}
