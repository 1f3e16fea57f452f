using System.Net;
using System.Net.Http.Headers;
using ExtAuthz.Testing;
using Grpc.Core;
using Grpc.Health.V1;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// The two ports are told apart by the listener a request arrived on, never by its authority: Istio's Envoy writes
/// its cluster name (no port) on every Check, and a caller may write any authority at all. The server runs on ports
/// the OS picked (port 0), so nothing can depend on knowing them ahead.
/// </summary>
public sealed class ListenerSeparationTests : IAsyncLifetime
{
    private ServerInstance _server = null!;

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Authorities a caller may write: Istio's, the ops port's own address, a stranger's, Envoy's plain cluster name.</summary>
    public static TheoryData<string> Authorities => new()
    {
        IstioAuthority.Value,
        "ops",
        "evil.example.com",
        "extauthz.extauthz-system.svc.cluster.local",
    };

    private string Authority(string name) => name == "ops" ? $"127.0.0.1:{_server.HttpPort}" : name;

    [Theory]
    [MemberData(nameof(Authorities))]
    public async Task GrpcPort_CheckAndHealthUnderAnyAuthority_AreServed(string authority)
    {
        using var channel = IstioAuthority.Channel($"http://127.0.0.1:{_server.GrpcPort}", Authority(authority));

        var check = await new Envoy.Service.Auth.V3.Authorization.AuthorizationClient(channel).CheckAsync(Requests.Istio("GET", "/notebook/alice/"));
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(Envoy.Type.V3.StatusCode.Unauthorized, check.DeniedResponse.Status.Code);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Theory]
    [MemberData(nameof(Authorities))]
    public async Task GrpcPort_OpsPathsUnderAnyAuthority_AreNotFound(string authority)
    {
        var name = authority == "ops" ? $"127.0.0.1:{_server.HttpPort}" : authority;
        using var http = IstioAuthority.Http($"http://127.0.0.1:{_server.GrpcPort}", name);

        foreach (var path in new[] { "/healthz", "/readyz", "/metrics", "/revocations" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} under '{name}': {response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Authorities))]
    public async Task OpsPort_CheckUnderAnyAuthority_IsNotFound(string authority)
    {
        // The gRPC port's own address as authority, too: the one a host filter would have let through.
        var name = authority == "ops" ? $"127.0.0.1:{_server.GrpcPort}" : authority;
        using var http = IstioAuthority.Http($"http://127.0.0.1:{_server.HttpPort}", name);

        foreach (var path in new[] { "/envoy.service.auth.v3.Authorization/Check", "/envoy.service.auth.v2.Authorization/Check", "/grpc.health.v1.Health/Check" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(new byte[5]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            using var response = await http.SendAsync(request);

            // A gRPC endpoint reached over HTTP/1.1 would answer 426; the ops listener has no such endpoint at all.
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} under '{name}': {response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Authorities))]
    public async Task OpsPort_OpsPathsUnderAnyAuthority_AreServed(string authority)
    {
        using var http = IstioAuthority.Http($"http://127.0.0.1:{_server.HttpPort}", Authority(authority));

        using var healthz = await http.GetAsync("/healthz");
        using var readyz = await http.GetAsync("/readyz");
        using var metrics = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task GrpcPort_UnknownMethod_IsUnimplemented()
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, "no.Such", "Call", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _server.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, []));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}
