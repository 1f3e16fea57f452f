using ExtAuthz.DevGateway.Tests;
using ExtAuthz.Testing;

namespace ExtAuthz.Browser.Tests;

/// <summary>
/// What a person runs with <c>./scripts/run.sh</c>: ExtAuthz on the samples cluster with the development issuer, and
/// the development gateway in front of its echo app, all on free loopback ports. The browser opens <see cref="Gateway"/>.
/// </summary>
internal sealed class BrowserStack : IAsyncDisposable
{
    private readonly GatewayInstance _gateway;

    private BrowserStack(ServerInstance server, GatewayInstance gateway, string gatewayUrl, int opsPort)
    {
        Server = server;
        _gateway = gateway;
        Http.BaseAddress = new Uri(gatewayUrl);
        Gateway = gatewayUrl;
        OpsPort = opsPort;
    }

    public ServerInstance Server { get; }

    /// <summary>A plain client of the gateway (no cookies, no redirects), for what the browser does not do.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    /// <summary>The URL a person opens, e.g. http://127.0.0.1:PORT.</summary>
    public string Gateway { get; }

    public int OpsPort { get; }

    /// <param name="args">More server configuration, given the gateway's URL and the ops port (the login's addresses need both).</param>
    public static async Task<BrowserStack> StartAsync(Func<string, int, IEnumerable<string>>? args = null)
    {
        // The ports are chosen before the servers bind them (the login's addresses name them), so another test process
        // may take one in between: try again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStartAsync(args);
            }
            catch (IOException ex) when (attempt < 5 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static async Task<BrowserStack> TryStartAsync(Func<string, int, IEnumerable<string>>? args)
    {
        var gatewayPort = FreePort.Next();
        var opsPort = FreePort.Next();
        var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";
        var server = await ServerInstance.StartAsync(
        [
            "--Identity:DevIssuer:Enabled=true",
            "--Policy:ClusterAdmins:0=admin@example.com",
            $"--Server:HttpPort={opsPort}",
            "--Audit:Output=none",
            .. args?.Invoke(gatewayUrl, opsPort) ?? [],
        ]);
        // A loaded test machine may take seconds over a first Check; a 503 from the gateway's deadline is not what is tested.
        GatewayInstance gateway;
        try
        {
            gateway = await GatewayInstance.StartAsync($"http://127.0.0.1:{server.GrpcPort}", $"--DevGateway:Port={gatewayPort}", "--DevGateway:CheckTimeout=00:00:30");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        var stack = new BrowserStack(server, gateway, gatewayUrl, opsPort);
        using var warmUp = await stack.Http.GetAsync("/healthz");
        return stack;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _gateway.DisposeAsync();
        await Server.DisposeAsync();
    }
}
