using ExtAuthz.Server.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace ExtAuthz.Testing;

/// <summary>
/// A real ExtAuthz server on loopback (Kestrel, free ports), built the way the process builds itself.
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
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public GrpcChannel Channel { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server with these configuration arguments (e.g. "--Login:Url=/oauth2/start").</summary>
    public static async Task<ServerInstance> StartAsync(IEnumerable<string>? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        string[] all =
        [
            $"--Server:GrpcPort={grpcPort}",
            $"--Server:HttpPort={httpPort}",
            $"--Policy:Directory={RepoPaths.Samples}",
            "--Logging:LogLevel:Default=Warning",
            .. args ?? [],
        ];
        var (app, errors) = ExtAuthzHost.Build(all, configure);
        if (app is null)
        {
            throw new InvalidOperationException("invalid configuration:\n" + string.Join('\n', errors));
        }

        await app.StartAsync();
        return new ServerInstance(app, grpcPort, httpPort);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
