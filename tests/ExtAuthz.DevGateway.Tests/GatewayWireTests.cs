using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;

namespace ExtAuthz.DevGateway.Tests;

/// <summary>
/// The gateway against a hand-written Check endpoint: the CheckRequest and authority it sends, and what the echo app
/// receives for an allow that uses every mutation Envoy applies.
/// </summary>
public sealed class GatewayWireTests : IAsyncLifetime
{
    private FakeCheckServer _check = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _check = await FakeCheckServer.StartAsync();
        _gateway = await GatewayInstance.StartAsync(_check.Address);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _check.DisposeAsync();
    }

    [Fact]
    public async Task Get_AnyRequest_SendsAnIstioShapedCheckRequestWithIstiosAuthority()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notebook/alice/nb/?tab=1");
        request.Headers.Add("X-Custom", "v");
        request.Headers.Add("Cookie", "a=1");

        using var response = await _gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(IstioAuthority.Value, _check.Authority);
        var attributes = _check.Received!.Attributes;
        var http = attributes.Request.Http;
        var host = _gateway.Http.BaseAddress!.Authority;
        Assert.Equal(("GET", "/notebook/alice/nb/?tab=1", host, "http", "HTTP/1.1"), (http.Method, http.Path, http.Host, http.Scheme, http.Protocol));
        Assert.Equal((host, "GET", "/notebook/alice/nb/?tab=1", "http"), (http.Headers[":authority"], http.Headers[":method"], http.Headers[":path"], http.Headers[":scheme"]));
        Assert.Equal(("v", "a=1", "http"), (http.Headers["x-custom"], http.Headers["cookie"], http.Headers["x-forwarded-proto"]));
        Assert.True(http.Headers.ContainsKey("x-request-id"));
        Assert.False(http.Headers.ContainsKey("host"));
        Assert.All(http.Headers.Keys, key => Assert.Equal(key.ToLowerInvariant(), key));
        Assert.Equal(("", ""), (attributes.Source.Principal, attributes.Destination.Principal));
    }

    [Fact]
    public async Task Get_AllowWithEveryMutation_EchoSeesWhatEnvoyWouldForward()
    {
        _check.Answer = new CheckResponse
        {
            Status = new Google.Rpc.Status(),
            OkResponse = new OkHttpResponse
            {
                Headers =
                {
                    OkResponseApplierTests.Option("kubeflow-userid", "alice@example.com", "false"),
                    OkResponseApplierTests.Option("x-trace", "b", "true"),
                    OkResponseApplierTests.Option("x-absent", "b", "true"),
                },
                HeadersToRemove = { "kubeflow-groups", "host", ":path" },
                ResponseHeadersToAdd = { OkResponseApplierTests.Option("x-answer", "1", "false") },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/notebook/alice/nb/");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("kubeflow-userid", "mallory@example.com");
        request.Headers.Add("kubeflow-groups", "admins");
        request.Headers.Add("x-trace", "a");

        using var response = await _gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("x-answer").Single());
        var echo = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var headers = echo["headers"]!.AsObject();
        Assert.Equal("/notebook/alice/nb/", echo["path"]!.GetValue<string>());
        Assert.Equal(("alice@example.com", "a,b"), (headers["kubeflow-userid"]!.GetValue<string>(), headers["x-trace"]!.GetValue<string>()));
        Assert.False(headers.ContainsKey("kubeflow-groups"));
        Assert.False(headers.ContainsKey("x-absent"));
        Assert.Equal(_gateway.Http.BaseAddress!.Authority, headers["host"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_CheckAnswersRpcError_IsStatusOnErrorWithEmptyBody()
    {
        _check.Answer = null;

        using var response = await _gateway.Http.GetAsync("/notebook/alice/nb/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_CheckNeverAnswers_IsStatusOnErrorAfterTheDeadline()
    {
        _check.Hang = true;
        await using var gateway = await GatewayInstance.StartAsync(_check.Address, "--DevGateway:CheckTimeout=00:00:00.200", "--DevGateway:StatusOnError=504");

        using var response = await gateway.Http.GetAsync("/notebook/alice/nb/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.NotNull(_check.Received);
    }
}
