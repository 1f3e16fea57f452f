namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the Kubernetes index source reports on <c>/metrics</c>: how often its watches had to start over.</summary>
public interface IWatchStats
{
    /// <summary>Watches that ended and were started again.</summary>
    long WatchRestarts { get; }

    /// <summary>Full lists after a watch could not resume (410 Gone) or after an outage.</summary>
    long Relists { get; }
}
