using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Diagnostics;
using ExtAuthz.Kubernetes;
using ExtAuthz.Kubernetes.Directory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Registers the access index, the decision pipeline that reads it (built by <see cref="DecisionPipeline"/>), and the
/// index source chosen by <c>Policy:Source</c> (a hosted service). <c>/readyz</c> shows the policy's description, which
/// includes the source's state.
/// </summary>
internal static class AccessRegistration
{
    public static void AddAccess(this IServiceCollection services, ExtAuthzOptions options)
    {
        var policy = options.Policy;
        services.AddSingleton(sp => DecisionPipeline.CreateIndex(policy, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => DecisionPipeline.Build(
            options,
            sp.GetRequiredService<IAuthenticator>(),
            sp.GetRequiredService<AccessIndex>(),
            sp.GetService<IRevocationList>()));
        services.AddSingleton(sp => sp.GetRequiredService<DecisionPipeline>().Authorizer);
        services.AddSingleton(sp => sp.GetRequiredService<DecisionPipeline>().Access);
        services.AddSingleton<IAccessPolicy>(sp => sp.GetRequiredService<KubeflowAccessPolicy>());
        services.AddSingleton(sp => sp.GetRequiredService<DecisionPipeline>().DryRun);

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
        }
        else
        {
            services.AddSingleton(sp => new DirectoryIndexSource(
                sp.GetRequiredService<AccessIndex>(),
                Path.Combine(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, policy.Directory),
                policy.DirectoryDebounce,
                policy.DirectoryPollInterval,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<DirectoryIndexSource>>()));
            services.AddHostedService(sp => sp.GetRequiredService<DirectoryIndexSource>());
        }
    }
}
