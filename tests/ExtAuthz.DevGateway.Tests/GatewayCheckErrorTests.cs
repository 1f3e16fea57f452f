using System.Net;
using ExtAuthz.Testing;

namespace ExtAuthz.DevGateway.Tests;

/// <summary>When Check cannot be called, the gateway answers as Envoy does: status_on_error, empty body, nothing forwarded.</summary>
public sealed class GatewayCheckErrorTests
{
    [Theory]
    [InlineData(new string[0], 503)]
    [InlineData(new[] { "--DevGateway:StatusOnError=403" }, 403)]
    [InlineData(new[] { "--DevGateway:StatusOnError=500" }, 500)]
    public async Task Get_ExtAuthzDown_IsStatusOnErrorWithEmptyBody(string[] args, int expected)
    {
        await using var gateway = await GatewayInstance.StartAsync($"http://127.0.0.1:{FreePort.Next()}", args);

        using var response = await gateway.Http.GetAsync("/notebook/alice/nb/");

        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("not-for-production", response.Headers.GetValues("x-extauthz-dev-gateway").Single());
    }
}
