using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Kubernetes.Directory;
using ExtAuthz.Server.Hosting;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Registers the workspace API when <c>SelfService:Enabled</c>: its services, the writer that matches
/// <c>Policy:Source</c>, and its routes on the API listener only. Nothing of it is on the Check path.
/// </summary>
internal static class SelfServiceRegistration
{
    public static void AddSelfService(this IServiceCollection services, ExtAuthzOptions options)
    {
        var self = options.SelfService;
        if (!self.Enabled)
        {
            return;
        }

        services.AddSingleton(self);
        services.AddSingleton<CallerResolver>();
        services.AddSingleton(new SharingRules(self));
        services.AddSingleton<WorkspaceView>();
        services.AddSingleton<IndexWait>();
        services.AddSingleton<SelfServiceAudit>();
        services.AddSingleton<WorkspaceService>();
        if (options.Policy.Source == "Kubernetes")
        {
            services.AddSingleton<IWorkspaceWriter>(sp => new KubernetesWorkspaceWriter(
                sp.GetRequiredService<KubernetesConnection>().Create, self, options.Headers, sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IWorkspaceWriter>(sp => new DirectoryWorkspaceWriter(sp.GetRequiredService<DirectoryIndexSource>().Folder));
        }
    }

    public static void MapSelfService(this WebApplication app)
    {
        if (app.Services.GetService<SelfServiceOptions>() is not { Enabled: true } self)
        {
            return;
        }

        var api = app.MapGroup("").OnListener(Listener.Api);
        api.MapDashboard(self.NukeSelf);
        api.MapKfam();
        api.MapSharingPage();
        var options = app.Services.GetRequiredService<ExtAuthzOptions>();
        SelfServiceLog.Serving(app.Logger, options.Server.ApiPort, options.Policy.Source == "Kubernetes" ? "the Kubernetes API server" : "the policy folder",
            self.Registration ? "open" : "closed");
    }
}
