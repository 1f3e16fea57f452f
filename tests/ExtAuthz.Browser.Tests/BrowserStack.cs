using ExtAuthz.DevGateway.Tests;
using ExtAuthz.Testing;

namespace ExtAuthz.Browser.Tests;

/// <summary>
/// What a person runs with <c>./scripts/run.sh</c>: ExtAuthz on the samples cluster with the development issuer, and
/// the development gateway in front of its echo app, all on free loopback ports. The browser opens <see cref="Gateway"/>.
/// </summary>
internal sealed class BrowserStack : IAsyncDisposable
{
    private BrowserStack(ServerInstance server, GatewayInstance gateway, string gatewayUrl, int opsPort)
    {
        Server = server;
        GatewayHost = gateway;
        Gateway = gatewayUrl;
        OpsPort = opsPort;
    }

    public ServerInstance Server { get; }

    public GatewayInstance GatewayHost { get; }

    /// <summary>The URL a person opens, e.g. http://127.0.0.1:PORT.</summary>
    public string Gateway { get; }

    public int OpsPort { get; }

    /// <param name="args">More server configuration, given the gateway's URL and the ops port (the login's addresses need both).</param>
    public static async Task<BrowserStack> StartAsync(Func<string, int, IEnumerable<string>>? args = null)
    {
        var gatewayPort = FreePort.Next();
        var opsPort = FreePort.Next();
        var gatewayUrl = $"http://127.0.0.1:{gatewayPort}";
        var server = await ServerInstance.StartAsync(
        [
            "--Identity:DevIssuer:Enabled=true",
            "--Policy:ClusterAdmins:0=admin@example.com",
            $"--Server:HttpPort={opsPort}",
            .. args?.Invoke(gatewayUrl, opsPort) ?? [],
        ]);
        var gateway = await GatewayInstance.StartAsync($"http://127.0.0.1:{server.GrpcPort}", $"--DevGateway:Port={gatewayPort}");
        return new BrowserStack(server, gateway, gatewayUrl, opsPort);
    }

    public async ValueTask DisposeAsync()
    {
        await GatewayHost.DisposeAsync();
        await Server.DisposeAsync();
    }
}
