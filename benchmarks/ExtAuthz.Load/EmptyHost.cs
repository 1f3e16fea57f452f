using System.Net;
using Envoy.Service.Auth.V3;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ExtAuthz.Load;

/// <summary>
/// The floors of DESIGN §5: an empty Check handler on a minimal host (<c>CreateSlimBuilder</c>, no logging
/// providers, one h2c port on loopback) answering one fixed OK response. By default it parses every request with
/// the generated classes, as any handler bound the default way does; with <c>--raw</c> it is bound with raw-bytes
/// marshallers and parses nothing (<see cref="RawEmptyAuthorization"/>).
/// </summary>
internal static class EmptyHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(args.Single(a => a.StartsWith("--port=", StringComparison.Ordinal))["--port=".Length..]);
        // Like the ExtAuthz host, it does not watch its content root for configuration changes: the load run writes
        // its logs and profiles below that folder, and each write would wake the watcher's thread.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var raw = args.Contains("--raw");
        if (raw)
        {
            builder.Services.AddSingleton<RawEmptyAuthorization>();
            builder.Services.AddSingleton<Grpc.AspNetCore.Server.Model.IServiceMethodProvider<RawEmptyAuthorization>, RawEmptyAuthorization.MethodProvider>();
        }

        var app = builder.Build();
        if (raw)
        {
            app.MapGrpcService<RawEmptyAuthorization>();
        }
        else
        {
            app.MapGrpcService<EmptyAuthorization>();
        }
        await app.RunAsync();
        return 0;
    }

    /// <summary>Answers every Check with the same allow.</summary>
    private sealed class EmptyAuthorization : Envoy.Service.Auth.V3.Authorization.AuthorizationBase
    {
        private static readonly Task<CheckResponse> s_allow = Task.FromResult(new CheckResponse
        {
            Status = new Google.Rpc.Status(),
            OkResponse = new OkHttpResponse(),
        });

        public override Task<CheckResponse> Check(CheckRequest request, ServerCallContext context) => s_allow;
    }
}
