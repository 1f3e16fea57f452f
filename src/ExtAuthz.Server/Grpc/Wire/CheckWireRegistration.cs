using ExtAuthz.Core.Requests;
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
            // A singleton service: no per-call activation. The reader's state (names, recent values) is one per host.
            services.AddSingleton(sp => new SlotNames(sp.GetRequiredService<HeaderSlots>()));
            services.AddSingleton<CheckWireService>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<CheckWireService>, CheckWireMethodProvider>());
        }
        else
        {
            services.AddSingleton<GeneratedCheckService>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<GeneratedCheckService>, GeneratedCheckMethodProvider>());
        }
    }

    /// <summary>
    /// On the lean path, plain Check calls are answered before routing (<see cref="CheckCallMiddleware"/>); the
    /// framework's binding stays for the calls it leaves on (a compressed message, another content type).
    /// </summary>
    public static void UseCheckCalls(this WebApplication app, ServerOptions server)
    {
        if (server.CheckReader == CheckReader.Lean)
        {
            app.UseMiddleware<CheckCallMiddleware>();
        }

        app.UseRouting();
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
