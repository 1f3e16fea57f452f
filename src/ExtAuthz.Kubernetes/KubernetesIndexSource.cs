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
/// <c>Policy:Source=Kubernetes</c>: one informer for <c>profiles.kubeflow.org</c> (cluster-scoped), one for
/// RoleBindings in all namespaces, and one for Namespaces (cluster-scoped: their <c>owner</c> annotation decides which
/// Profiles are adopted). The index publishes once all three have listed; after that an API outage leaves the last
/// snapshot serving and shows here, on <c>/readyz</c>, as a disconnected informer. <c>/readyz</c> also names the
/// Profiles that their Namespace did not adopt.
/// </summary>
internal sealed class KubernetesIndexSource : BackgroundService
{
    private readonly AccessIndex _index;
    private readonly Func<string> _server;
    private readonly ResourceInformer<ProfileRecord> _profiles;
    private readonly ResourceInformer<RoleBindingRecord> _roleBindings;
    private readonly ResourceInformer<NamespaceRecord> _namespaces;

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
            new KubernetesNamespaceApi(connection),
            options, time, random, logger)
    {
    }

    internal KubernetesIndexSource(AccessIndex index, Func<string> server, IResourceApi profiles, IResourceApi roleBindings,
        IResourceApi namespaces, KubernetesSourceOptions options, TimeProvider time, Random random, ILogger logger)
    {
        _index = index;
        _server = server;
        _profiles = new ResourceInformer<ProfileRecord>(profiles, new ProfileStore(index), options.PageSize, options.WatchTimeout,
            new Backoff(options.BackoffInitial, options.BackoffMax, random), time, logger);
        _roleBindings = new ResourceInformer<RoleBindingRecord>(roleBindings, new RoleBindingStore(index), options.PageSize,
            options.WatchTimeout, new Backoff(options.BackoffInitial, options.BackoffMax, random), time, logger);
        _namespaces = new ResourceInformer<NamespaceRecord>(namespaces, new NamespaceStore(index), options.PageSize,
            options.WatchTimeout, new Backoff(options.BackoffInitial, options.BackoffMax, random), time, logger);

        // Publications come one at a time from the index's single writer.
        var logged = 0;
        index.Published += snapshot => logged = UnadoptedProfiles.LogIfChanged(logger, snapshot, logged);
    }

    /// <summary>The client for this process: in-cluster when running in a pod, else <c>KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    public static IKubernetes CreateClient() => new k8s.Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig());

    /// <summary>Watches that ended and were started again, over the three resources.</summary>
    public long WatchRestarts => Statuses.Sum(s => (long)Math.Max(0, s.Watches - 1));

    /// <summary>Full lists after the first one of each resource: 410 Gone or an outage.</summary>
    public long Relists => Statuses.Sum(s => (long)Math.Max(0, s.Lists - 1));

    private InformerStatus[] Statuses => [_profiles.Status, _roleBindings.Status, _namespaces.Status];

    public object Describe()
    {
        var informers = Statuses;
        return new
        {
            kind = "Kubernetes",
            server = _server(),
            connected = informers.All(s => s.Connected),
            informers,
            unadoptedProfiles = UnadoptedProfiles.Describe(_index.Current),
        };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            Task.Run(() => _profiles.RunAsync(stoppingToken), stoppingToken),
            Task.Run(() => _roleBindings.RunAsync(stoppingToken), stoppingToken),
            Task.Run(() => _namespaces.RunAsync(stoppingToken), stoppingToken));
}
