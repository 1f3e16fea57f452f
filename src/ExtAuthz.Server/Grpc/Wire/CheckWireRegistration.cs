using ExtAuthz.Core.Configuration;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>Chooses how Check requests are read and answered: the lean wire path (default) or the generated classes.</summary>
internal static class CheckWireRegistration
{
    public static void AddCheckServices(this IServiceCollection services, ServerOptions server)
    {
        services.AddSingleton<ResponseCache>();
        if (server.CheckReader == CheckReader.Lean)
        {
            // A singleton service: no per-call activation.
            services.AddSingleton<CheckWireService>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<CheckWireService>, CheckWireMethodProvider>());
        }
        else
        {
            services.AddSingleton<GeneratedCheckService>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<GeneratedCheckService>, GeneratedCheckMethodProvider>());
        }
    }

    public static IEnumerable<GrpcServiceEndpointConventionBuilder> MapCheckServices(this IEndpointRouteBuilder app, ServerOptions server)
    {
        if (server.CheckReader == CheckReader.Lean)
        {
            return [app.MapGrpcService<CheckWireService>()];
        }

        return [app.MapGrpcService<GeneratedCheckService>()];
    }
}
