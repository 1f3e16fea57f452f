using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Diagnostics;
using ExtAuthz.Kubernetes.Informers;
using ExtAuthz.Kubernetes.Objects;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Kubernetes;

/// <summary>
/// <c>Policy:Source=Kubernetes</c>: one informer for <c>profiles.kubeflow.org</c> (cluster-scoped) and one for
/// RoleBindings in all namespaces. The index publishes once both have listed; after that an API outage leaves the
/// last snapshot serving and shows here, on <c>/readyz</c>, as a disconnected informer.
/// </summary>
internal sealed class KubernetesIndexSource : BackgroundService, IDescribable, IWatchStats
{
    private readonly Func<string> _server;
    private readonly ResourceInformer<ProfileRecord> _profiles;
    private readonly ResourceInformer<RoleBindingRecord> _roleBindings;

    /// <param name="connect">Creates the client on first use; failures (no kubeconfig) are retried and shown on /readyz.</param>
    public KubernetesIndexSource(AccessIndex index, Func<IKubernetes> connect, KubernetesSourceOptions options, TimeProvider time,
        Random random, ILogger logger)
        : this(index, new Lazy<IKubernetes>(connect, LazyThreadSafetyMode.PublicationOnly), options, time, random, logger)
    {
    }

    private KubernetesIndexSource(AccessIndex index, Lazy<IKubernetes> connection, KubernetesSourceOptions options, TimeProvider time,
        Random random, ILogger logger)
        : this(
            index,
            () => connection.IsValueCreated ? connection.Value.BaseUri?.ToString() ?? "(unknown)" : "(not connected)",
            new KubernetesResourceApi(connection, KubeObjectReader.ProfileGroup, options.ProfileVersion, "profiles"),
            new KubernetesResourceApi(connection, KubeObjectReader.RbacGroup, "v1", "rolebindings"),
            options, time, random, logger)
    {
    }

    internal KubernetesIndexSource(AccessIndex index, Func<string> server, IResourceApi profiles, IResourceApi roleBindings,
        KubernetesSourceOptions options, TimeProvider time, Random random, ILogger logger)
    {
        _server = server;
        _profiles = new ResourceInformer<ProfileRecord>(profiles, new ProfileStore(index), options.PageSize, options.WatchTimeout,
            new Backoff(options.BackoffInitial, options.BackoffMax, random), time, logger);
        _roleBindings = new ResourceInformer<RoleBindingRecord>(roleBindings, new RoleBindingStore(index), options.PageSize,
            options.WatchTimeout, new Backoff(options.BackoffInitial, options.BackoffMax, random), time, logger);
        index.Source = this;
    }

    /// <summary>The client for this process: in-cluster when running in a pod, else <c>KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    public static IKubernetes CreateClient() => new k8s.Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig());

    /// <summary>Watches that ended and were started again, over both resources.</summary>
    public long WatchRestarts => Math.Max(0, _profiles.Status.Watches - 1) + Math.Max(0, _roleBindings.Status.Watches - 1);

    /// <summary>Full lists after the first one of each resource: 410 Gone or an outage.</summary>
    public long Relists => Math.Max(0, _profiles.Status.Lists - 1) + Math.Max(0, _roleBindings.Status.Lists - 1);

    public object Describe()
    {
        var profiles = _profiles.Status;
        var roleBindings = _roleBindings.Status;
        return new
        {
            kind = "Kubernetes",
            server = _server(),
            connected = profiles.Connected && roleBindings.Connected,
            informers = new[] { profiles, roleBindings },
        };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            Task.Run(() => _profiles.RunAsync(stoppingToken), stoppingToken),
            Task.Run(() => _roleBindings.RunAsync(stoppingToken), stoppingToken));
}
