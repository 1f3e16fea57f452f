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
/// With leader election off, the work simply runs.
/// </summary>
internal sealed class Leadership
{
    private readonly Lazy<IKubernetes> _connection;
    private readonly LeaderElectionOptions _options;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private volatile bool _leading;

    public Leadership(Lazy<IKubernetes> connection, LeaderElectionOptions options, ControllerMetrics metrics, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _metrics = metrics;
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

        var config = new LeaderElectionConfig(new LeaseLock(_connection.Value, _options.Namespace, _options.LeaseName, Identity))
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
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RetryPeriod, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
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
