using ExtAuthz.Server.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Testing;

/// <summary>
/// A real ExtAuthz server on loopback (Kestrel, free ports), built the way the process builds itself. Its clients
/// write Istio's portless cluster-name authority (<see cref="IstioAuthority"/>), as Envoy in the mesh does.
/// Dispose stops it.
/// </summary>
public sealed class ServerInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerInstance(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        Channel = IstioAuthority.Channel($"http://127.0.0.1:{grpcPort}");
        Http = IstioAuthority.Http($"http://127.0.0.1:{httpPort}");
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public GrpcChannel Channel { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a server with these configuration arguments (e.g. "--Login:Url=/oauth2/start"), on ports the OS picks
    /// (port 0), learnt once it listens: the ports are told apart by their listener, never by a known number.
    /// </summary>
    public static async Task<ServerInstance> StartAsync(IEnumerable<string>? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        string[] all =
        [
            "--Server:GrpcPort=0",
            "--Server:HttpPort=0",
            $"--Policy:Directory={RepoPaths.Samples}",
            "--Logging:LogLevel:Default=Warning",

            // Ready at once: no synthetic Checks beside the test's own (the warm-up's tests turn it on).
            "--Server:WarmUpRounds=0",
            .. args ?? [],
        ];
        var (app, errors) = ExtAuthzHost.Build(all, configure);
        if (app is null)
        {
            throw new InvalidOperationException("invalid configuration:\n" + string.Join('\n', errors));
        }

        await app.StartAsync();
        var (grpcPort, httpPort) = BoundPorts(app);
        return new ServerInstance(app, grpcPort, httpPort);
    }

    /// <summary>The ports a started server listens on, whatever was configured (port 0 included).</summary>
    public static (int Grpc, int Http) BoundPorts(WebApplication app)
    {
        // Kestrel reports its bound addresses in the order they were configured: the gRPC listener first.
        var ports = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(address => new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port)
            .ToList();
        return ports.Count == 2 ? (ports[0], ports[1]) : throw new InvalidOperationException("expected two listeners, found: " + string.Join(", ", ports));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
