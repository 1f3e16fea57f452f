using ExtAuthz.Core.Diagnostics;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// Fills the series that describe state rather than events, just before each scrape: revocations, Redis, and what
/// the identity and access parts report through the Core stats seams (a part that registers none reports nothing).
/// Nothing here runs on a Check.
/// </summary>
internal sealed class ScrapeTimeCollector
{
    private readonly OperationsMetrics _metrics;
    private readonly RevocationSet _revocations;
    private readonly IRevocationReplication? _replication;
    private readonly ITokenCacheStats? _tokenCache;
    private readonly IKeySetStats? _keySets;
    private readonly IIndexStats? _index;
    private readonly IWatchStats? _watch;
    private readonly TimeProvider _time;

    public ScrapeTimeCollector(OperationsMetrics metrics, RevocationSet revocations, TimeProvider time, IServiceProvider services)
    {
        _metrics = metrics;
        _revocations = revocations;
        _time = time;
        _replication = services.GetService<IRevocationReplication>();
        _tokenCache = services.GetService<ITokenCacheStats>();
        _keySets = services.GetService<IKeySetStats>();
        _index = services.GetService<IIndexStats>();
        _watch = services.GetService<IWatchStats>();
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

        if (_tokenCache is not null)
        {
            _metrics.TokenCacheSize.Set(_tokenCache.Count);
            if (_tokenCache.Hits is { } hits && _tokenCache.Misses is { } misses)
            {
                _metrics.TokenCacheHits.IncTo(hits);
                _metrics.TokenCacheMisses.IncTo(misses);
            }
        }

        if (_keySets is not null)
        {
            foreach (var keySet in _keySets.KeySets)
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

        if (_index is not null)
        {
            _metrics.IndexProfiles.Set(_index.Profiles);
            _metrics.IndexRoleBindings.Set(_index.RoleBindings);
            _metrics.UnadoptedProfiles.Set(_index.UnadoptedProfiles);
            if (_index.UpdatedAt is { } updatedAt)
            {
                _metrics.IndexAge.Set((now - updatedAt).TotalSeconds);
            }
        }

        if (_watch is not null)
        {
            _metrics.WatchRestarts.IncTo(_watch.WatchRestarts);
            _metrics.Relists.IncTo(_watch.Relists);
        }
    }
}
