using Prometheus;

namespace ExtAuthz.Controller.Ops;

/// <summary>The controller's Prometheus series, on a registry of its own.</summary>
internal sealed class ControllerMetrics
{
    public ControllerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Reconciles = factory.CreateCounter("profile_controller_reconciles_total", "Reconciles by result (ok, retry, error).", "result");
        QueueDepth = factory.CreateGauge("profile_controller_queue_depth", "Profiles waiting in the work queue.");
        Leader = factory.CreateGauge("profile_controller_leader", "1 while this replica holds the lease.");
        Writes = factory.CreateGauge("profile_controller_writes", "Writes to the API server since start (applies, deletes, patches, status).");
    }

    public CollectorRegistry Registry { get; }

    public Counter Reconciles { get; }

    public Gauge QueueDepth { get; }

    public Gauge Leader { get; }

    public Gauge Writes { get; }
}
