using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AuthorizationClient = Envoy.Service.Auth.V3.Authorization.AuthorizationClient;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>The real service on 127.0.0.1 (free ports), configured from a dictionary, optionally on a fake clock.</summary>
internal sealed class IdentityHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private IdentityHost(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        _channel = IstioAuthority.Channel($"http://127.0.0.1:{grpcPort}");
        Client = new AuthorizationClient(_channel);
        Ops = IstioAuthority.Http($"http://127.0.0.1:{httpPort}");
    }

    public AuthorizationClient Client { get; }

    public HttpClient Ops { get; }

    public IdentityRuntime Runtime => _app.Services.GetRequiredService<IdentityRuntime>();

    public static async Task<IdentityHost> StartAsync(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var (app, errors) = ExtAuthzHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Server:GrpcPort"] = "0",
                ["Server:HttpPort"] = "0",
            });
            builder.Logging.ClearProviders();
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        Assert.True(app is not null, string.Join("\n", errors));
        await app.StartAsync();
        var (grpcPort, httpPort) = ServerInstance.BoundPorts(app);
        return new IdentityHost(app, grpcPort, httpPort);
    }

    /// <summary>A GET Check for <paramref name="path"/> with these request headers.</summary>
    public async Task<CheckResponse> CheckAsync(string path, params (string Name, string Value)[] headers)
    {
        var http = new AttributeContext.Types.HttpRequest { Method = "GET", Path = path, Host = "kubeflow.example.com", Protocol = "HTTP/1.1" };
        foreach (var (name, value) in headers)
        {
            http.Headers[name] = value;
        }

        var request = new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = http } } };
        return await Client.CheckAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        Ops.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
