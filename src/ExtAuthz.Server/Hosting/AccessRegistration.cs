using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Diagnostics;
using ExtAuthz.Kubernetes;
using ExtAuthz.Kubernetes.Directory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Registers the access index, the policy that reads it, and the index source chosen by <c>Policy:Source</c>
/// (a hosted service). <c>/readyz</c> shows the policy's description, which includes the source's state.
/// </summary>
internal static class AccessRegistration
{
    public static void AddAccess(this IServiceCollection services, ExtAuthzOptions options)
    {
        var policy = options.Policy;
        services.AddSingleton(sp => new AccessIndex(
            new RoleMap(policy.Roles.Admin, policy.Roles.Edit, policy.Roles.View),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => KubeflowAccessPolicy.Create(policy, sp.GetRequiredService<AccessIndex>()));
        services.AddSingleton<IAccessPolicy>(sp => sp.GetRequiredService<KubeflowAccessPolicy>());

        if (policy.Source == "Kubernetes")
        {
            services.TryAddSingleton(KubernetesConnection.Default);
            services.AddSingleton(sp => new KubernetesIndexSource(
                sp.GetRequiredService<AccessIndex>(),
                sp.GetRequiredService<KubernetesConnection>().Create,
                policy.Kubernetes,
                sp.GetRequiredService<TimeProvider>(),
                Random.Shared,
                sp.GetRequiredService<ILogger<KubernetesIndexSource>>()));
            services.AddHostedService(sp => sp.GetRequiredService<KubernetesIndexSource>());
            services.AddSingleton<IWatchStats>(sp => sp.GetRequiredService<KubernetesIndexSource>());
        }
        else
        {
            services.AddHostedService(sp => new DirectoryIndexSource(
                sp.GetRequiredService<AccessIndex>(),
                Path.Combine(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, policy.Directory),
                policy.DirectoryDebounce,
                policy.DirectoryPollInterval,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<DirectoryIndexSource>>()));
        }
    }
}
