using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Envoy.Service.Auth.V3;
using ExtAuthz.Cli;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace ExtAuthz.FirstCheck;

/// <summary>The first Checks of one process.</summary>
internal sealed record FirstCheckResult(double ReadyMs, IReadOnlyList<double> RoundTripsMs, IReadOnlyList<double> ServerMs);

/// <summary>
/// One fresh server process: started on free ports with the embedded default (the development issuer mints a real
/// RS256 token), timed from start to /readyz, then its first Checks, each with the same token (the first is the
/// token's first sight). The client warms its own side first (serialisation, the HTTP/2 connection, a health call), so
/// the round trip is the server's first Check and not this program's JIT; the server's own decision time comes back in
/// dynamic_metadata, which the server adds because this program asks for it.
/// </summary>
internal static class FirstCheckRun
{
    private static readonly Metadata s_askDecisionTime = new() { { "extauthz-decision-time", "1" } };

    private static readonly Method<CheckRequest, CheckResponse> s_check = new(
        MethodType.Unary, "envoy.service.auth.v3.Authorization", "Check",
        Marshallers.Create(r => r.ToByteArray(), CheckRequest.Parser.ParseFrom),
        Marshallers.Create(r => r.ToByteArray(), CheckResponse.Parser.ParseFrom));

    public static async Task<FirstCheckResult> RunAsync(FirstCheckSettings settings)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[settings.ServerDll, $"--Server:GrpcPort={grpcPort}", $"--Server:HttpPort={httpPort}",
            "--Identity:DevIssuer:Enabled=true", $"--Policy:Directory={Path.Combine(FirstCheckSettings.RepoRoot, "samples/cluster")}",
            "--Audit:Output=none", .. settings.ServerArgs])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitReadyAsync(http, process);
            var readyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var token = await MintAsync(http);
            return await TimeChecksAsync(grpcPort, token, settings.Checks) is var (roundTrips, server)
                ? new FirstCheckResult(readyMs, roundTrips, server)
                : throw new InvalidOperationException("no result");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(List<double> RoundTrips, List<double> Server)> TimeChecksAsync(int grpcPort, string token, int checks)
    {
        var (handler, address) = FixedAuthority.For(new Uri($"http://127.0.0.1:{grpcPort}"), "outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local");
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var invoker = channel.CreateCallInvoker();
        var request = Request(token);

        // This program's own first-call costs, paid before the clock starts: serialisation both ways and the connection.
        _ = CheckResponse.Parser.ParseFrom(new CheckResponse { Status = new Google.Rpc.Status() }.ToByteArray());
        _ = request.ToByteArray();
        await new Health.HealthClient(invoker).CheckAsync(new HealthCheckRequest());

        var roundTrips = new List<double>();
        var server = new List<double>();
        for (var i = 0; i < checks; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            var response = await invoker.AsyncUnaryCall(s_check, null, new CallOptions(s_askDecisionTime), request);
            roundTrips.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
            if (response.Status.Code != 0)
            {
                throw new InvalidOperationException($"the Check was denied ({response.Status.Message}); expected an allow");
            }

            server.Add(response.DynamicMetadata.Fields.TryGetValue("decision_time_us", out var us) ? us.NumberValue / 1000 : double.NaN);
        }

        return (roundTrips, server);
    }

    private static CheckRequest Request(string token)
    {
        var http = new AttributeContext.Types.HttpRequest
        {
            Id = "1",
            Method = "GET",
            Path = "/notebook/alice/nb/lab",
            Host = "kubeflow.example.com",
            Scheme = "http",
            Protocol = "HTTP/1.1",
        };
        foreach (var (name, value) in (KeyValuePair<string, string>[])[
            new(":authority", "kubeflow.example.com"), new(":method", "GET"), new(":path", "/notebook/alice/nb/lab"), new(":scheme", "http"),
            new("accept", "*/*"), new("user-agent", "Mozilla/5.0"), new("x-forwarded-proto", "https"), new("x-forwarded-for", "10.1.2.3"),
            new("x-request-id", Guid.NewGuid().ToString()), new("x-envoy-attempt-count", "1"), new("authorization", $"Bearer {token}")])
        {
            http.Headers[name] = value;
        }

        return new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Source = new AttributeContext.Types.Peer { Principal = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account" },
                Destination = new AttributeContext.Types.Peer(),
                Request = new AttributeContext.Types.Request { Http = http },
            },
        };
    }

    private static async Task WaitReadyAsync(HttpClient http, Process process)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("the server was not ready within 120 s");
    }

    private static async Task<string> MintAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/dev/token", new { user = "alice@example.com" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())?["token"]?.GetValue<string>()
            ?? throw new InvalidOperationException("no token in the answer");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
