using ExtAuthz.Core.Access;
using ExtAuthz.Core.Diagnostics;
using ExtAuthz.Kubernetes;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// Fills the series that describe state rather than events, just before each scrape: revocations, Redis, the token
/// cache and key sets (when identity is configured), the index, and the Kubernetes source's watch counts.
/// Nothing here runs on a Check.
/// </summary>
internal sealed class ScrapeTimeCollector
{
    private readonly OperationsMetrics _metrics;
    private readonly RevocationSet _revocations;
    private readonly IRevocationReplication? _replication;
    private readonly IdentityStats? _identity;
    private readonly AccessIndex _index;
    private readonly KubernetesIndexSource? _watch;
    private readonly TimeProvider _time;

    public ScrapeTimeCollector(OperationsMetrics metrics, RevocationSet revocations, TimeProvider time, IServiceProvider services)
    {
        _metrics = metrics;
        _revocations = revocations;
        _time = time;
        _replication = services.GetService<IRevocationReplication>();
        _identity = services.GetService<IdentityStats>();
        _index = services.GetRequiredService<AccessIndex>();
        _watch = services.GetService<KubernetesIndexSource>();
        metrics.Registry.AddBeforeCollectCallback(Collect);
    }

    private void Collect()
    {
        var now = _time.GetUtcNow();
        _metrics.Revocations.Set(_revocations.Count);
        if (_replication is not null)
        {
            _metrics.RevocationsPending.Set(_replication.PendingCount);
            _metrics.RedisConnected.Set(_replication.IsConnected ? 1 : 0);
        }

        if (_identity is not null)
        {
            _metrics.TokenCacheSize.Set(_identity.Count);
            if (_identity.Hits is { } hits && _identity.Misses is { } misses)
            {
                _metrics.TokenCacheHits.IncTo(hits);
                _metrics.TokenCacheMisses.IncTo(misses);
            }

            foreach (var keySet in _identity.KeySets)
            {
                // "started" and "error" rather than "ok": a fetch in flight is neither yet, and a counter cannot go back.
                _metrics.KeySetFetches.WithLabels(keySet.Issuer, "started").IncTo(keySet.FetchesStarted);
                _metrics.KeySetFetches.WithLabels(keySet.Issuer, "error").IncTo(keySet.FetchesFailed);
                if (keySet.FetchedAt is { } fetchedAt)
                {
                    _metrics.KeySetAge.WithLabels(keySet.Issuer).Set((now - fetchedAt).TotalSeconds);
                }
            }
        }

        if (_index.Current is { } snapshot)
        {
            _metrics.IndexProfiles.Set(snapshot.ProfileCount);
            _metrics.IndexRoleBindings.Set(snapshot.RoleBindingCount);
            _metrics.UnadoptedProfiles.Set(snapshot.UnadoptedCount);
            _metrics.IndexAge.Set((now - snapshot.UpdatedAt).TotalSeconds);
        }

        if (_watch is not null)
        {
            _metrics.WatchRestarts.IncTo(_watch.WatchRestarts);
            _metrics.Relists.IncTo(_watch.Relists);
        }
    }
}
