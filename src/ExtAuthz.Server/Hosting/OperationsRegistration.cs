using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Diagnostics;
using ExtAuthz.Core.Identity;
using ExtAuthz.Redis;
using ExtAuthz.Server.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Registers the operations area: metrics, tracing, the decision log, dry-run, and revocations (shared through
/// Redis when <c>Redis:Configuration</c> is set, else held on this replica only), and maps its ops endpoints.
/// </summary>
internal static class OperationsRegistration
{
    public static void AddOperations(this IServiceCollection services, ExtAuthzOptions options)
    {
        services.AddSingleton(options.Audit);
        services.AddSingleton<OperationsMetrics>();
        services.AddSingleton<ScrapeTimeCollector>();

        // A test may have registered its own output already; the configured one is the default. Decision lines share
        // the log sink of their stream with every other line, so they never interleave and never wait.
        services.AddKeyedSingleton(AuditOutput.Stderr, (sp, _) => new LogSink(
            Console.OpenStandardError(), sp.GetRequiredService<LogSettings>().QueueBytes, sp.GetRequiredService<OperationsMetrics>()));
        services.TryAddSingleton(sp => options.Audit.Output switch
        {
            "none" => new AuditOutput(Stream.Null),
            AuditOutput.Stderr => new AuditOutput(new SinkStream(sp.GetRequiredKeyedService<LogSink>(AuditOutput.Stderr), "decision")),
            _ => new AuditOutput(new SinkStream(sp.GetRequiredService<LogSink>(), "decision")),
        });
        services.AddSingleton<AuditQueue>();
        services.AddSingleton<MalformedRequestLog>();
        services.AddSingleton<AuditSampler>();
        services.AddHostedService<AuditWriter>();
        services.AddSingleton<DecisionRecorder>();

        if (options.Identity.Issuers.Count > 0 || options.Identity.DevIssuer.Enabled)
        {
            // Identity registers its runtime under the same condition.
            services.TryAddSingleton(sp => new IdentityStats(sp.GetRequiredService<IdentityRuntime>()));
        }

        services.AddSingleton<RevocationSet>();
        services.AddSingleton<IRevocationList>(sp => sp.GetRequiredService<RevocationSet>());
        services.AddSingleton<RevocationService>();
        services.AddSingleton<AdminCaller>();
        services.AddHostedService<RevocationExpiry>();
        if (!string.IsNullOrEmpty(options.Redis.Configuration))
        {
            services.AddSingleton(options.Redis);
            services.AddSingleton<RedisRevocationReplication>();
            services.AddSingleton<IRevocationReplication>(sp => sp.GetRequiredService<RedisRevocationReplication>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisRevocationReplication>());
            services.AddSingleton<IReadinessContributor, RedisReadiness>();
            services.AddRedisLoginStores(options);
        }
    }

    public static void MapOperations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMetrics();
        endpoints.MapRevocations();
    }

}
