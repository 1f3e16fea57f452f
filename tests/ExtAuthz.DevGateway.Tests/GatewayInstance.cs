using ExtAuthz.Testing;
using Microsoft.AspNetCore.Builder;

namespace ExtAuthz.DevGateway.Tests;

/// <summary>The development gateway and its echo app on free loopback ports, in front of a Check address.</summary>
internal sealed class GatewayInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayInstance(WebApplication app, int port)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public HttpClient Http { get; }

    public static async Task<GatewayInstance> StartAsync(string checkAddress, params string[] args)
    {
        var port = FreePort.Next();
        string[] all =
        [
            $"--DevGateway:Port={port}",
            $"--DevGateway:EchoPort={FreePort.Next()}",
            $"--DevGateway:CheckAddress={checkAddress}",
            "--Logging:LogLevel:Default=Warning",
            .. args,
        ];
        var (app, errors) = DevGatewayHost.Build(all);
        if (app is null)
        {
            throw new InvalidOperationException("invalid configuration:\n" + string.Join('\n', errors));
        }

        await app.StartAsync();
        return new GatewayInstance(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
