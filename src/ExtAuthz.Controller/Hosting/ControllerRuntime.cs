using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Ops;
using ExtAuthz.Controller.Plugins;
using ExtAuthz.Controller.Queue;
using ExtAuthz.Controller.Reconcile;
using k8s;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller.Hosting;

/// <summary>
/// The controller assembled: informers and cache, work queue, reconciler, leadership. <see cref="RunAsync"/> runs the
/// informers always (a standby replica keeps a warm cache) and the reconcile loop only while leading.
/// </summary>
internal sealed class ControllerRuntime : IDisposable
{
    public ControllerRuntime(ControllerOptions options, Lazy<IKubernetes> connection, IEnumerable<IProfilePlugin> plugins,
        TimeProvider time, ILoggerFactory loggers, IClusterWriter? writer = null)
    {
        var logger = loggers.CreateLogger("ExtAuthz.Controller");
        Metrics = new ControllerMetrics();
        Queue = new WorkQueue(new KeyBackoff(options.RetryInitial, options.RetryMax), time);
        Cache = new ClusterCache(connection, options.ProfileVersion, Queue.Add, time, loggers.CreateLogger("ExtAuthz.Controller.Informers"));
        Labels = new NamespaceLabels(options.NamespaceLabelsFile, time, TimeSpan.FromSeconds(5));
        Labels.Changed += () =>
        {
            ControllerLog.LabelsChanged(logger);
            Controller?.EnqueueAll();
        };
        Writer = writer ?? new KubernetesClusterWriter(connection, options.FieldManager, options.ProfileVersion, time);
        var registry = new PluginRegistry(plugins);
        var workspace = new WorkspaceWriter(Cache, Writer, new WorkspaceShapes(options), Labels, options);
        var finalizer = new ProfileFinalizer(Cache, Writer, registry, options, time, logger);
        Reconciler = new ProfileReconciler(Cache, Writer, workspace, finalizer, registry, time, logger);
        Controller = new ProfileController(Cache, Queue, Reconciler, options.Workers, options.ResyncPeriod, time, Metrics, logger);
        Leadership = new Leadership.Leadership(connection, options.LeaderElection, Metrics, time, logger);
    }

    public ControllerMetrics Metrics { get; }

    public WorkQueue Queue { get; }

    public ClusterCache Cache { get; }

    public NamespaceLabels Labels { get; }

    public IClusterWriter Writer { get; }

    public ProfileReconciler Reconciler { get; }

    public ProfileController Controller { get; }

    public Leadership.Leadership Leadership { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = Cache.RunAsync(cancellationToken);
        var leading = Leadership.RunAsync(Controller.RunAsync, cancellationToken);
        await Task.WhenAll(informers, leading);
    }

    public void Dispose() => Labels.Dispose();
}
