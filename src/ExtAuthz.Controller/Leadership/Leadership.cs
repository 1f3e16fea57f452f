using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using ExtAuthz.Controller.Hosting;
using ExtAuthz.Controller.Ops;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller.Leadership;

/// <summary>
/// Runs <paramref name="leaderWork"/> only while this replica holds the Lease (KubernetesClient's leader election on a
/// coordination.k8s.io Lease): acquire, run, and cancel the work the moment renewal fails, then try to acquire again.
/// On a graceful stop the leader first lets its work finish, then releases the Lease the way client-go's
/// <c>ReleaseOnCancel</c> does (empty holder, a one-second duration), so a standby takes over at its next retry
/// instead of waiting out the lease; KubernetesClient's elector has no release of its own. With leader election off,
/// the work simply runs.
/// </summary>
internal sealed class Leadership
{
    private readonly Lazy<IKubernetes> _connection;
    private readonly LeaderElectionOptions _options;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile bool _leading;

    public Leadership(Lazy<IKubernetes> connection, LeaderElectionOptions options, ControllerMetrics metrics, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Identity = string.IsNullOrEmpty(options.Identity) ? Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName : options.Identity;
    }

    public string Identity { get; }

    public bool IsLeader => _leading;

    public async Task RunAsync(Func<CancellationToken, Task> leaderWork, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            SetLeading(true);
            await leaderWork(cancellationToken);
            return;
        }

        var lease = new LeaseLock(_connection.Value, _options.Namespace, _options.LeaseName, Identity);
        var config = new LeaderElectionConfig(lease)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        };
        while (!cancellationToken.IsCancellationRequested)
        {
            using var elector = new LeaderElector(config);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task? work = null;
            elector.OnStartedLeading += () =>
            {
                SetLeading(true);
                work = Task.Run(() => leaderWork(term.Token), CancellationToken.None);
            };
            elector.OnNewLeader += leader => ControllerLog.NewLeader(_logger, leader);
            elector.OnError += ex => ControllerLog.LeaseError(_logger, ex.Message);
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                ControllerLog.LeaseError(_logger, ex.Message);
            }

            await term.CancelAsync();
            if (work is not null)
            {
                try
                {
                    await work;
                }
                catch (OperationCanceledException)
                {
                }
            }

            if (_leading)
            {
                SetLeading(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    await ReleaseAsync(lease);
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RetryPeriod, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Hands the Lease back if it is still ours: a replace carrying the resourceVersion just read, so a Lease another
    /// replica has taken meanwhile is left alone (409). Bounded by the renew deadline; a failure only means the
    /// standby waits out the lease as before.
    /// </summary>
    private async Task ReleaseAsync(LeaseLock lease)
    {
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        try
        {
            var record = await lease.GetAsync(timeout.Token);
            if (record?.HolderIdentity != Identity)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcDateTime;
            var released = new LeaderElectionRecord
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaderTransitions = record.LeaderTransitions,
            };
            if (await lease.UpdateAsync(released, timeout.Token))
            {
                ControllerLog.LeaseReleased(_logger, Identity);
            }
            else
            {
                ControllerLog.LeaseReleaseFailed(_logger, Identity, "the Lease changed since it was read");
            }
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            ControllerLog.LeaseReleaseFailed(_logger, Identity, ex.Message);
        }
    }

    private void SetLeading(bool leading)
    {
        _leading = leading;
        _metrics.Leader.Set(leading ? 1 : 0);
        if (leading)
        {
            ControllerLog.StartedLeading(_logger, Identity);
        }
        else
        {
            ControllerLog.StoppedLeading(_logger, Identity);
        }
    }
}
