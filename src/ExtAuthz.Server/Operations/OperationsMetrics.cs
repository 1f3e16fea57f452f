using ExtAuthz.Core.Decisions;
using Prometheus;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The Prometheus series of one server, in a registry of its own (two servers in one process never mix counts).
/// Every labelled child the hot path touches is created here, once: recording a Check is two lock-free updates
/// and never formats a label. Labels are bounded: outcome, reason code, and the configured issuers.
/// </summary>
internal sealed class OperationsMetrics
{
    private readonly Counter.Child[][] _decisions;
    private readonly Histogram.Child[] _durations;

    public OperationsMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);

        // The usual process and runtime series (process_working_set_bytes, process_cpu_seconds_total,
        // dotnet_total_memory_bytes, dotnet_collection_count_total, ...), read at scrape time only.
        DotNetStats.Register(Registry);

        var decisions = factory.CreateCounter("extauthz_decisions_total",
            "Checks answered, by outcome (allow, deny, dry_run = a would-be deny answered allow) and reason code.",
            new CounterConfiguration { LabelNames = ["outcome", "reason"] });
        _decisions = [.. DecisionOutcome.Names.Select(outcome =>
            ReasonCodes.All.Select(reason => decisions.WithLabels(outcome, reason.ToWire())).ToArray())];

        var durations = factory.CreateHistogram("extauthz_check_duration_seconds",
            "Time from a parsed CheckRequest to its CheckResponse, by outcome.",
            new HistogramConfiguration
            {
                LabelNames = ["outcome"],
                // 10 µs .. ~82 ms: a warm Check is microseconds; the tail shows garbage collection and key fetches.
                Buckets = Histogram.ExponentialBuckets(0.00001, 2, 14),
            });
        _durations = [.. DecisionOutcome.Names.Select(outcome => durations.WithLabels(outcome))];

        AuditWritten = factory.CreateCounter("extauthz_audit_lines_total", "Decision log lines written.");
        AuditFolded = factory.CreateCounter("extauthz_audit_folded_total", "Logged decisions counted into a repeated line (Audit:RepeatWindow) instead of a line of their own.");
        AuditDropped = factory.CreateCounter("extauthz_audit_dropped_total", "Decision log lines dropped because the writer fell behind.");
        AuditTruncated = factory.CreateCounter("extauthz_audit_truncated_total", "Logged decisions whose path, detail or user was cut when queued, to what a line shows.");
        LogDropped = factory.CreateCounter("extauthz_log_dropped_lines_total",
            "Log lines (decision lines and the service's own) dropped because standard output fell behind; a request never waits for a log write.",
            new CounterConfiguration { LabelNames = ["log"] });
        MalformedRequests = factory.CreateCounter("extauthz_malformed_requests_total", "Check frames that are not a CheckRequest (answered with INVALID_ARGUMENT).");
        OpsConnectionsRefused = factory.CreateCounter("extauthz_ops_connections_refused_total", "Ops-port connections closed at accept because Server:OpsMaxConnections were open.");
        OpsConnectionsIdleClosed = factory.CreateCounter("extauthz_ops_connections_idle_closed_total", "Ops-port connections closed after Server:OpsIdleTimeout without a byte either way.");
        HealthWatches = factory.CreateGauge("extauthz_health_watches", "grpc.health.v1 Watch streams open now.");
        HealthWatchesRefused = factory.CreateCounter("extauthz_health_watches_refused_total", "Watch streams refused (RESOURCE_EXHAUSTED) by Server:HealthMaxWatches or Server:HealthMaxWatchesPerConnection.");
        Revocations = factory.CreateGauge("extauthz_revocations", "Revocations held in memory on this replica.");
        RevocationsPending = factory.CreateGauge("extauthz_revocations_pending", "Revocations accepted here and not yet stored in Redis.", Later<GaugeConfiguration>());
        RedisConnected = factory.CreateGauge("extauthz_redis_connected", "1 while the Redis link that shares revocations is up, 0 while it is down.", Later<GaugeConfiguration>());
        TokenCacheHits = factory.CreateCounter("extauthz_token_cache_hits_total", "Checks whose token was found in the validated-token cache.", Later<CounterConfiguration>());
        TokenCacheMisses = factory.CreateCounter("extauthz_token_cache_misses_total", "Checks whose token had to be validated.", Later<CounterConfiguration>());
        TokenCacheSize = factory.CreateGauge("extauthz_token_cache_entries", "Validated tokens held in the cache.", Later<GaugeConfiguration>());
        KeySetFetches = factory.CreateCounter("extauthz_keyset_fetches_total", "Key-set fetches by issuer: started, and of those failed (result=error).",
            new CounterConfiguration { LabelNames = ["issuer", "result"] });
        KeySetAge = factory.CreateGauge("extauthz_keyset_age_seconds", "Seconds since the issuer's current key set was fetched.",
            new GaugeConfiguration { LabelNames = ["issuer"] });
        IndexProfiles = factory.CreateGauge("extauthz_index_profiles", "Profiles in the current access index snapshot.", Later<GaugeConfiguration>());
        UnadoptedProfiles = factory.CreateGauge("extauthz_profiles_unadopted",
            "Profiles whose Namespace is missing or whose owner annotation names someone else: they grant nothing (see /readyz).", Later<GaugeConfiguration>());
        IndexRoleBindings = factory.CreateGauge("extauthz_index_rolebindings", "RoleBindings in the current access index snapshot.", Later<GaugeConfiguration>());
        IndexAge = factory.CreateGauge("extauthz_index_age_seconds", "Seconds since the current access index snapshot was published.", Later<GaugeConfiguration>());
        WatchRestarts = factory.CreateCounter("extauthz_watch_restarts_total", "Kubernetes watches that ended and were started again.", Later<CounterConfiguration>());
        Relists = factory.CreateCounter("extauthz_watch_relists_total", "Full lists after a watch could not resume (or directory re-reads).", Later<CounterConfiguration>());
    }

    public CollectorRegistry Registry { get; }

    /// <summary>
    /// For series fed by another part (identity, access, Redis): absent until that part reports, rather than a zero
    /// that would read as a real value.
    /// </summary>
    private static T Later<T>() where T : MetricConfiguration, new() => new() { SuppressInitialValue = true };

    public Counter AuditWritten { get; }

    public Counter AuditDropped { get; }

    public Counter AuditFolded { get; }

    public Counter AuditTruncated { get; }

    public Counter LogDropped { get; }

    public Counter MalformedRequests { get; }

    public Counter OpsConnectionsRefused { get; }

    public Counter OpsConnectionsIdleClosed { get; }

    public Gauge HealthWatches { get; }

    public Counter HealthWatchesRefused { get; }

    public Gauge Revocations { get; }

    public Gauge RevocationsPending { get; }

    public Gauge RedisConnected { get; }

    public Counter TokenCacheHits { get; }

    public Counter TokenCacheMisses { get; }

    public Gauge TokenCacheSize { get; }

    public Counter KeySetFetches { get; }

    public Gauge KeySetAge { get; }

    public Gauge IndexProfiles { get; }

    public Gauge UnadoptedProfiles { get; }

    public Gauge IndexRoleBindings { get; }

    public Gauge IndexAge { get; }

    public Counter WatchRestarts { get; }

    public Counter Relists { get; }

    /// <summary>The hot-path call: one counter increment and one histogram observation.</summary>
    public void Decided(int outcome, ReasonCode reason, double seconds)
    {
        _decisions[outcome][(int)reason].Inc();
        _durations[outcome].Observe(seconds);
    }
}
