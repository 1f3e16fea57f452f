using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;

namespace ExtAuthz.Server.Tests.EndToEnd;

/// <summary>The real server on a loopback socket, called with Grpc.Net.Client as Envoy would call it.</summary>
public sealed class CheckOverLoopbackTests : IAsyncLifetime
{
    private const string Workload = "spiffe://cluster.local/ns/alice/sa/default-editor";

    private ServerInstance _server = null!;
    private Authorization.AuthorizationClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerInstance.StartAsync();
        _client = new Authorization.AuthorizationClient(_server.Channel);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/dex/auth?client_id=x")]
    [InlineData("/dex")]
    [InlineData("/oauth2/callback?code=1")]
    [InlineData("/dex/%61uth")]
    [InlineData("/healthz", Workload)]
    [InlineData("/metrics", Workload)]
    [InlineData("/wait-for-drain", Workload)]
    [InlineData("/metrics", Workload, "spiffe://cluster.local/ns/knative-serving/sa/activator")]
    public async Task Check_PublicPathWithSpoofedIdentity_AllowsAndStripsEveryIdentityHeader(string path, string destination = "", string source = "")
    {
        var request = Requests.Istio("GET", path, headers:
        [
            new("kubeflow-userid", "admin@example.com"),
            new("kubeflow-groups", "admins"),
            new("x-goog-authenticated-user-email", "accounts.google.com:admin@example.com"),
        ], sourcePrincipal: source, destinationPrincipal: destination);

        var response = await _client.CheckAsync(request);

        Assert.Equal(0, response.Status.Code);
        Assert.Empty(response.OkResponse.Headers);
        Assert.Superset(
            new HashSet<string> { "kubeflow-userid", "kubeflow-groups", "x-goog-authenticated-user-email", "x-goog-authenticated-user-id" },
            response.OkResponse.HeadersToRemove.ToHashSet());
        Assert.Equal("public", response.DynamicMetadata.Fields["reason"].StringValue);
    }

    /// <summary>
    /// Probe paths are open where Kubeflow opens them, at a workload's own sidecar, and are exact: through the gateway
    /// (no workload destination, or relayed by the gateway) or one segment deeper they are ordinary protected paths.
    /// </summary>
    [Theory]
    [InlineData("/metrics", "", "")]
    [InlineData("/healthz", "", "")]
    [InlineData("/metrics", "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account", "")]
    [InlineData("/metrics", Workload, "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account")]
    [InlineData("/metrics", Workload, "spiffe://cluster.local/ns/kubeflow/sa/ml-pipeline-ui")]
    [InlineData("/metrics", "kubeflow.example.com", "")]
    [InlineData("/metrics/x", Workload, "")]
    [InlineData("/healthzz", Workload, "")]
    [InlineData("/healthz/", Workload, "")]
    [InlineData("/x/metrics", Workload, "")]
    public async Task Check_ProbePathThroughGatewayOrNotExact_NeedsIdentity(string path, string destination, string source)
    {
        var request = Requests.Istio("GET", path, host: "model.alice.example.com", sourcePrincipal: source, destinationPrincipal: destination);

        var response = await _client.CheckAsync(request);

        Assert.Equal(16, response.Status.Code);
        Assert.Equal("missing_token", response.DynamicMetadata.Fields["reason"].StringValue);
    }

    [Theory]
    [InlineData("/dex/..%2Fnotebook/bob/")]
    [InlineData("/healthz/../notebook/bob/")]
    [InlineData("/dexter")]
    [InlineData("/dex%2Fauth")]
    [InlineData("/notebook/bob/\0")]
    [InlineData("//dex/")]
    public async Task Check_PathThatOnlyLooksPublic_IsNeverPublic(string path)
    {
        var response = await _client.CheckAsync(Requests.Istio("GET", path));

        Assert.NotEqual(0, response.Status.Code);
        Assert.Equal(401u, (uint)response.DeniedResponse.Status.Code);
        Assert.Equal("missing_token", response.Status.Message);
    }

    [Fact]
    public async Task Check_ProtectedPathWithoutToken_Is401WithChallengeAndJsonBody()
    {
        var response = await _client.CheckAsync(Requests.Istio("GET", "/notebook/alice/nb/", headers: [new("kubeflow-userid", "alice@example.com")]));

        Assert.Equal(16, response.Status.Code);
        Assert.Equal(Envoy.Type.V3.StatusCode.Unauthorized, response.DeniedResponse.Status.Code);
        Assert.Contains(response.DeniedResponse.Headers, h => h.Header.Key == "www-authenticate" && h.Header.Value.StartsWith("Bearer realm=", StringComparison.Ordinal));
        Assert.Equal("{\"error\":\"unauthenticated\",\"reason\":\"missing_token\"}", response.DeniedResponse.Body);
        Assert.Null(response.OkResponse);
    }

    [Fact]
    public async Task Check_LegacyV2Path_AnswersWithTheSameDecision()
    {
        var v2 = new Envoy.Service.Auth.V2.Authorization.AuthorizationClient(_server.Channel);

        var allowed = await v2.CheckAsync(Requests.Istio("GET", "/dex/auth"));
        var denied = await v2.CheckAsync(Requests.Istio("GET", "/notebook/alice/"));

        Assert.Equal(0, allowed.Status.Code);
        Assert.Equal("public", allowed.DynamicMetadata.Fields["reason"].StringValue);
        Assert.Equal(Envoy.Type.V3.StatusCode.Unauthorized, denied.DeniedResponse.Status.Code);
        Assert.Equal("missing_token", denied.DynamicMetadata.Fields["reason"].StringValue);
        Assert.Equal(await _client.CheckAsync(Requests.Istio("GET", "/dex/auth")), allowed);
        Assert.Equal(await _client.CheckAsync(Requests.Istio("GET", "/notebook/alice/")), denied);
    }

    public static TheoryData<string, CheckRequest, string> Hostile()
    {
        var thousands = Requests.Istio("GET", "/notebook/alice/");
        for (var i = 0; i < 5000; i++)
        {
            thousands.Attributes.Request.Http.Headers[$"x-junk-{i}"] = new string('v', 20);
        }

        var garbage = Requests.Istio("\u0000\u00ff", "\u0001\u0002", "\u0003");
        garbage.Attributes.Request.Http.Headers["authorization"] = "\u0000Bearer \uffff";
        garbage.Attributes.Request.Http.Headers[""] = "";

        var headerMapOnly = new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = new AttributeContext.Types.HttpRequest { HeaderMap = new Envoy.Config.Core.V3.HeaderMap() } } } };
        headerMapOnly.Attributes.Request.Http.HeaderMap.Headers.Add(new Envoy.Config.Core.V3.HeaderValue { Key = ":method", RawValue = ByteString.CopyFrom(0xC3, 0x28) });
        headerMapOnly.Attributes.Request.Http.HeaderMap.Headers.Add(new Envoy.Config.Core.V3.HeaderValue { Key = ":path", RawValue = ByteString.CopyFrom(0x2F, 0xFF, 0x00) });

        // Name, request, the reason of the deny (missing_token is a 401 "unauthenticated", malformed_request a 403).
        return new TheoryData<string, CheckRequest, string>
        {
            { "empty", new CheckRequest(), "malformed_request" },
            { "no request", new CheckRequest { Attributes = new AttributeContext() }, "malformed_request" },
            { "no http", new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request() } }, "malformed_request" },
            { "empty http", new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = new AttributeContext.Types.HttpRequest() } } }, "malformed_request" },
            { "thousands of headers", thousands, "missing_token" },
            { "garbage strings", garbage, "missing_token" },
            { "non-UTF-8 header_map", headerMapOnly, "missing_token" },
            { "NUL in path", Requests.Istio("GET", "/notebook/alice/\0/x"), "missing_token" },
            { "control bytes in path", Requests.Istio("GET", "/notebook/alice/\r\nx"), "missing_token" },
            { "huge path", Requests.Istio("GET", "/notebook/" + new string('a', 100_000)), "missing_token" },
        };
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Check_HostileRequest_IsACleanDenyNeverAnAllowOrRpcError(string name, CheckRequest request, string reason)
    {
        var response = await _client.CheckAsync(request);

        var (grpc, http, error) = reason == "malformed_request"
            ? (7, Envoy.Type.V3.StatusCode.Forbidden, "forbidden")
            : (16, Envoy.Type.V3.StatusCode.Unauthorized, "unauthenticated");
        Assert.Equal((grpc, reason), (response.Status.Code, response.Status.Message));
        Assert.Equal(http, response.DeniedResponse.Status.Code);
        Assert.Equal($"{{\"error\":\"{error}\",\"reason\":\"{reason}\"}}", response.DeniedResponse.Body);
        Assert.Equal(reason, response.DynamicMetadata.Fields["reason"].StringValue);
        Assert.False(response.DynamicMetadata.Fields["allowed"].BoolValue, name);
        Assert.Null(response.OkResponse);
    }

    [Fact]
    public async Task Check_MessageOverTheSizeLimit_GetsTheFrameworkStatusAndTheServerKeepsServing()
    {
        var big = Requests.Istio("GET", "/notebook/alice/");
        big.Attributes.Request.Http.RawBody = ByteString.CopyFrom(new byte[2 * 1024 * 1024]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.CheckAsync(big));
        var after = await _client.CheckAsync(Requests.Istio("GET", "/dex/"));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, after.Status.Code);
    }

    [Fact]
    public async Task Health_BothServiceNames_AnswerAndUnknownIsNotFound()
    {
        var health = new Health.HealthClient(_server.Channel);

        var overall = await health.CheckAsync(new HealthCheckRequest { Service = "" });
        var check = await health.CheckAsync(new HealthCheckRequest { Service = "envoy.service.auth.v3.Authorization" });
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await health.CheckAsync(new HealthCheckRequest { Service = "nope" }));

        // The samples cluster is read before the server starts listening, so it is SERVING from the first call.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, overall.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, check.Status);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Health_ReportsWhatReadyzReports()
    {
        var health = new Health.HealthClient(_server.Channel);

        var grpc = await health.CheckAsync(new HealthCheckRequest());
        using var http = await _server.Http.GetAsync("/readyz");

        Assert.Equal(http.IsSuccessStatusCode, grpc.Status == HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Fact]
    public async Task Healthz_OnTheOpsPort_IsOk()
    {
        using var response = await _server.Http.GetAsync("/healthz");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpsPort_DoesNotServeCheck_AndGrpcPortDoesNotServeOps()
    {
        using var grpcOnOps = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.GrpcPort}"), DefaultRequestVersion = new Version(2, 0), DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var opsOnGrpc = IstioAuthority.Http($"http://127.0.0.1:{_server.HttpPort}");
        using var check = new HttpRequestMessage(HttpMethod.Post, "/envoy.service.auth.v3.Authorization/Check") { Content = new ByteArrayContent(new byte[5]) };
        check.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");

        using var response = await grpcOnOps.GetAsync("/healthz");
        using var checkOnOps = await opsOnGrpc.SendAsync(check);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, checkOnOps.StatusCode);
    }
}
