using System.Diagnostics;
using System.Text.Json;
using Envoy.Service.Auth.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace ExtAuthz.Cli;

/// <summary>Builds an Istio-shaped CheckRequest from flags, sends it, and prints what the service decided.</summary>
internal sealed class CheckCommand
{
    private readonly CheckOptions _options;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public CheckCommand(CheckOptions options, TextWriter stdout, TextWriter stderr)
    {
        _options = options;
        _stdout = stdout;
        _stderr = stderr;
    }

    public async Task<int> RunAsync()
    {
        string? token;
        try
        {
            token = _options.User is null ? _options.Token : await DevTokens.MintAsync(_options.Ops, _options.User, _options.Groups);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
        {
            await _stderr.WriteLineAsync($"could not mint a token for {_options.User} at {_options.Ops}/dev/token: {ex.Message}");
            await _stderr.WriteLineAsync(DevTokens.Hint);
            return Cli.Failed;
        }

        var request = BuildRequest(token);
        var (handler, address) = FixedAuthority.For(new Uri(_options.Address), _options.Authority);
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var invoker = channel.CreateCallInvoker();
        var method = _options.V2 ? V2Check : V3Check;

        try
        {
            // Connect first (one health Check), so the latency printed is the Check's, not the TCP and HTTP/2 handshake's.
            using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await new Health.HealthClient(invoker).CheckAsync(new HealthCheckRequest(), cancellationToken: connect.Token);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.DeadlineExceeded)
        {
            await _stderr.WriteLineAsync($"no answer from {_options.Address}: could not connect within 10 s ({ex.StatusCode})");
            return Cli.Failed;
        }
        catch (RpcException)
        {
            // Connected: the server answers, it just does not serve health here.
        }

        var stopwatch = Stopwatch.StartNew();
        CheckResponse response;
        try
        {
            response = await invoker.AsyncUnaryCall(method, null, new CallOptions(s_askDecisionTime, DateTime.UtcNow.AddSeconds(10)), request);
        }
        catch (RpcException ex)
        {
            await _stderr.WriteLineAsync($"no answer from {_options.Address}: {ex.StatusCode} {ex.Status.Detail}");
            return Cli.Failed;
        }

        var elapsed = stopwatch.Elapsed;
        var view = DecisionView.From(response, elapsed);
        await _stdout.WriteLineAsync(_options.Json ? view.ToJson() : view.ToText(_options.Explain));
        return view.Allowed ? Cli.Allowed : Cli.Denied;
    }

    /// <summary>Asks the server for its own decision time in dynamic_metadata (decision_time_us); Envoy never asks.</summary>
    private static readonly Metadata s_askDecisionTime = new() { { "extauthz-decision-time", "1" } };

    private static readonly Method<CheckRequest, CheckResponse> V3Check = CheckMethod("envoy.service.auth.v3.Authorization");
    private static readonly Method<CheckRequest, CheckResponse> V2Check = CheckMethod("envoy.service.auth.v2.Authorization");

    private static Method<CheckRequest, CheckResponse> CheckMethod(string service) => new(
        MethodType.Unary, service, "Check",
        Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), CheckRequest.Parser.ParseFrom),
        Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), CheckResponse.Parser.ParseFrom));

    private CheckRequest BuildRequest(string? token)
    {
        var http = new AttributeContext.Types.HttpRequest
        {
            Id = Random.Shared.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Method = _options.Method,
            Path = _options.Path,
            Host = _options.Host,
            Scheme = "http",
            Protocol = "HTTP/1.1",
        };
        http.Headers[":authority"] = _options.Host;
        http.Headers[":method"] = _options.Method;
        http.Headers[":path"] = _options.Path;
        http.Headers[":scheme"] = "http";
        http.Headers["user-agent"] = "extauthz-cli";
        http.Headers["x-request-id"] = Guid.NewGuid().ToString();
        http.Headers["accept"] = "*/*";
        if (_options.Browser)
        {
            http.Headers["accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
            http.Headers["sec-fetch-mode"] = "navigate";
            http.Headers["sec-fetch-dest"] = "document";
        }

        if (token is not null)
        {
            http.Headers["authorization"] = $"Bearer {token}";
        }

        foreach (var (name, value) in _options.Headers)
        {
            http.Headers[name] = http.Headers.TryGetValue(name, out var existing) ? $"{existing},{value}" : value;
        }

        return new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Source = new AttributeContext.Types.Peer { Principal = _options.SourcePrincipal },
                Destination = new AttributeContext.Types.Peer { Principal = _options.DestinationPrincipal },
                Request = new AttributeContext.Types.Request { Time = Timestamp.FromDateTime(DateTime.UtcNow), Http = http },
            },
        };
    }
}
