using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Ops;
using ExtAuthz.Controller.Reconcile;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller.Queue;

/// <summary>
/// The reconcile loop of a leader: once every informer has synced it queues every Profile, runs the workers, and
/// queues every Profile again each resync period. It runs only while <see cref="RunAsync"/>'s token lives — the
/// leadership loop cancels it the moment the lease is lost, which also cancels reconciles in flight.
/// </summary>
internal sealed class ProfileController
{
    private readonly ClusterCache _cache;
    private readonly WorkQueue _queue;
    private readonly ProfileReconciler _reconciler;
    private readonly int _workers;
    private readonly TimeSpan _resync;
    private readonly TimeProvider _time;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;

    public ProfileController(ClusterCache cache, WorkQueue queue, ProfileReconciler reconciler, int workers, TimeSpan resync,
        TimeProvider time, ControllerMetrics metrics, ILogger logger)
    {
        _cache = cache;
        _queue = queue;
        _reconciler = reconciler;
        _workers = workers;
        _resync = resync;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Reconciles run so far (for tests and the benchmark).</summary>
    public int Reconciles => Volatile.Read(ref _reconciles);

    private int _reconciles;
    private int _running;

    /// <summary>True while the workers run (only while this replica leads).</summary>
    public bool Running => Volatile.Read(ref _running) > 0;

    public void EnqueueAll()
    {
        foreach (var profile in _cache.Profiles.All)
        {
            _queue.Add(Meta.Name(profile));
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!_cache.Synced)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }

        Interlocked.Increment(ref _running);
        try
        {
            EnqueueAll();
            using var resync = _time.CreateTimer(_ => EnqueueAll(), null, _resync, _resync);
            await Task.WhenAll(Enumerable.Range(0, _workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None)));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await _queue.TakeAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            bool retry;
            try
            {
                retry = await _reconciler.ReconcileAsync(key, cancellationToken);
                _metrics.Reconciles.WithLabels(retry ? "retry" : "ok").Inc();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _queue.Done(key);
                _queue.Add(key); // for whoever leads next in this process
                return;
            }
            catch (Exception ex)
            {
                ControllerLog.Unexpected(_logger, key, ex.ToString());
                _metrics.Reconciles.WithLabels("error").Inc();
                retry = true;
            }

            _queue.Done(key);
            Interlocked.Increment(ref _reconciles);
            _metrics.Writes.Set(_reconciler.Writes);
            _metrics.QueueDepth.Set(_queue.Depth);
            if (retry)
            {
                var delay = _queue.AddRateLimited(key);
                ControllerLog.Retrying(_logger, key, _queue.Failures(key), delay, "see the Profile's status");
            }
            else
            {
                _queue.Forget(key);
            }
        }
    }
}
