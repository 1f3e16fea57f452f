using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.DevGateway;

/// <summary>
/// Builds the gateway process: the gateway on loopback <c>DevGateway:Port</c> and the echo app on loopback
/// <c>DevGateway:EchoPort</c>, told apart by the port a connection arrived on.
/// </summary>
internal static class DevGatewayHost
{
    public static (WebApplication? App, IReadOnlyList<string> Errors) Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection(DevGatewayOptions.Section).Get<DevGatewayOptions>() ?? new DevGatewayOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Listen(IPAddress.Loopback, options.EchoPort);
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CheckClient>();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        }));
        builder.Services.AddSingleton<GatewayHandler>();

        var app = builder.Build();
        var gateway = app.Services.GetRequiredService<GatewayHandler>();
        app.Run(context => context.Connection.LocalPort == options.EchoPort ? EchoApp.HandleAsync(context) : gateway.HandleAsync(context));
        app.Lifetime.ApplicationStarted.Register(() =>
            GatewayLog.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ExtAuthz.DevGateway"), options.Port, options.CheckAddress, options.UpstreamOrEcho));
        return (app, []);
    }
}
