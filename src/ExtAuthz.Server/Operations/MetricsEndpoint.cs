using Prometheus;

namespace ExtAuthz.Server.Operations;

/// <summary><c>/metrics</c> on the ops port, in the Prometheus text format, from this server's own registry.</summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void MapMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/metrics", async (HttpContext context, OperationsMetrics registry, ScrapeTimeCollector _) =>
        {
            context.Response.ContentType = ContentType;
            await registry.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
}
