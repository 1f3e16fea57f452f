using System.Diagnostics;
using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Server.Operations;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// Ready means fast: once the index has loaded, synthetic Checks run through the request reader, the decision and the
/// answer writer the service uses, so the first real Check finds that code compiled instead of paying the JIT
/// (about 100–200 ms on a new process, against Envoy's 0.5 s timeout). Readiness waits for it. The synthetic Checks are
/// neither counted nor logged: a public path and a request without a token through the service's own pipeline, in
/// process and then as real gRPC calls to its own port; and a signed token through a pipeline of the same build whose
/// only issuer is a throwaway key of this process, so the signature check is compiled too without a token ever reaching
/// the configured issuers or their caches and counters.
/// </summary>
internal sealed class CheckWarmUp : BackgroundService, IReadinessContributor, IReadinessSignal
{
    private readonly CheckHandler _handler;
    private readonly CheckResponseWriter _writer;
    private readonly HeaderSlots _slots;
    private readonly AccessIndex _index;
    private readonly ExtAuthzOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServer _server;
    private readonly int _rounds;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _done;
    private int _checks;
    private TimeSpan _elapsed;

    public CheckWarmUp(CheckHandler handler, CheckResponseWriter writer, HeaderSlots slots, AccessIndex index, ExtAuthzOptions options,
        TimeProvider time, IHostApplicationLifetime lifetime, IServer server, ILogger<CheckWarmUp> logger)
    {
        _lifetime = lifetime;
        _server = server;
        _handler = handler;
        _writer = writer;
        _slots = slots;
        _index = index;
        _options = options;
        _time = time;
        _logger = logger;
        _rounds = options.Server.WarmUpRounds;
        _done = _rounds == 0;
        index.Published += _ =>
        {
            if (index.IsLoaded)
            {
                _loaded.TrySetResult();
            }
        };
    }

    public event Action? Changed;

    public string Name => "warmup";

    public bool Gates => true;

    public bool IsReady => _done;

    public object Describe() => new { rounds = _rounds, checks = Volatile.Read(ref _checks), elapsedMs = Math.Round(_elapsed.TotalMilliseconds, 1) };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_done)
        {
            return;
        }

        if (!_index.IsLoaded)
        {
            await _loaded.Task.WaitAsync(stoppingToken);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            // Off the start-up thread, and one round at a time: it competes with nothing but the index source.
            await Task.Run(Run, stoppingToken);
            await OverLoopbackAsync(stoppingToken);
            _elapsed = Stopwatch.GetElapsedTime(started);
            HostingLog.WarmedUp(_logger, Volatile.Read(ref _checks), _elapsed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            // A failed warm-up costs the first Checks their speed, never the service its readiness. One cut short by
            // the host stopping (a gRPC call cancelled under it) is no failure.
            HostingLog.WarmUpFailed(_logger, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stopping: ends like a cancellation, without a failure logged.
        }
        finally
        {
            _done = true;
            Changed?.Invoke();
        }
    }

    private void Run()
    {
        using var issuer = new DevIssuer(new DevIssuerOptions { Issuer = "urn:extauthz:warm-up", Audience = "extauthz-warm-up" }, string.Empty, _time);
        var settings = issuer.Settings;
        settings.Source.Bind(_slots);
        var validator = new IssuerValidator(new IssuerKeys(settings, issuer.KeySet), UserIdRule.For([settings])[0], _time, _options.Identity.ClockSkew);
        var authenticator = new JwtAuthenticator([validator], new TokenCache(16, 1 << 20, _time), _time, _options.Identity.MaxTokenBytes);
        var signed = DecisionPipeline.Build(_options, authenticator, _index).Authorizer;

        var names = new SlotNames(_slots);
        byte[][] unsigned = [WarmUpRequests.Public(), WarmUpRequests.WithoutToken()];
        var token = string.Empty;
        for (var round = 0; round < _rounds; round++)
        {
            foreach (var request in unsigned)
            {
                _handler.HandleUnrecorded(Read(request, names));
                Interlocked.Increment(ref _checks);
            }

            // A new token every few rounds: its first sight runs the signature check, the rounds after it the token cache.
            if (round % 8 == 0)
            {
                token = issuer.Mint($"warm-up-{round}@extauthz.invalid", ["warm-up"], TimeSpan.FromMinutes(5));
            }

            foreach (var request in WarmUpRequests.WithToken(token))
            {
                _ = new SerializedResponse(_writer.Write(signed.Decide(Read(request, names))));
                Interlocked.Increment(ref _checks);
            }
        }
    }

    /// <summary>
    /// The same unsigned requests as real gRPC Checks to this server's own port, so the transport's side is compiled too
    /// (HTTP/2 stream, gRPC call handler, marshallers), marked with <see cref="DecisionTiming.WarmUpValue"/> so that they are
    /// neither counted nor logged. Once the listeners are up: hosted services start before the server does.
    /// </summary>
    private async Task OverLoopbackAsync(CancellationToken stoppingToken)
    {
        if (!_lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(stoppingToken);
        }

        // Kestrel lists its addresses in the order they were configured: the gRPC listener first.
        var address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return;
        }

        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var invoker = channel.CreateCallInvoker();
        var ask = new Metadata { { DecisionTiming.RequestHeader, DecisionTiming.WarmUpValue } };
        byte[][] requests = [WarmUpRequests.Public(), WarmUpRequests.WithoutToken()];
        for (var round = 0; round < Math.Max(1, _rounds / 4); round++)
        {
            foreach (var request in requests)
            {
                await invoker.AsyncUnaryCall(s_rawCheck, null, new CallOptions(ask, DateTime.UtcNow.AddSeconds(10), stoppingToken), request);
                Interlocked.Increment(ref _checks);
            }
        }
    }

    /// <summary>Check with its bytes as they are: the requests are serialized once, the answers are not read.</summary>
    private static readonly Method<byte[], byte[]> s_rawCheck = new(MethodType.Unary, CheckWireMethodProvider.V3Service, "Check",
        Marshallers.Create(static bytes => bytes, static bytes => bytes), Marshallers.Create(static bytes => bytes, static bytes => bytes));

    /// <summary>The reader the service is configured with: the lean one over the bytes, or the generated classes.</summary>
    private CheckInput Read(byte[] request, SlotNames names)
    {
        if (_options.Server.CheckReader == CheckReader.Lean)
        {
            return CheckMarshallers.Read(request, names);
        }

        var input = new CheckInput(_slots);
        CheckRequestReader.Read(CheckRequest.Parser.ParseFrom(request), input);
        return input;
    }
}
