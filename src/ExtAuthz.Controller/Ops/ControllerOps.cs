using System.Text.Json;
using ExtAuthz.Controller.Hosting;
using Prometheus;

namespace ExtAuthz.Controller.Ops;

/// <summary>
/// The ops port, in the authorizer's style: <c>/healthz</c> (the process runs), <c>/readyz</c> (every informer has
/// listed once; a standby replica is ready too, so a rollout never waits for the lease) and <c>/metrics</c>.
/// </summary>
internal static class ControllerOps
{
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void MapControllerOps(this IEndpointRouteBuilder endpoints, ControllerRuntime runtime)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", () =>
        {
            var ready = runtime.Cache.Synced;
            var body = new
            {
                status = ready ? "ready" : "not ready",
                leader = runtime.Leadership.IsLeader,
                identity = runtime.Leadership.Identity,
                queueDepth = runtime.Queue.Depth,
                labels = runtime.Labels.Problem ?? "ok",
                informers = runtime.Cache.Status.ToDictionary(s => s.Resource, s => new { s.Synced, s.Connected, s.Phase, s.LastError }),
            };
            return Results.Text(JsonSerializer.Serialize(body, s_json) + "\n", "application/json", statusCode: ready ? 200 : 503);
        });
        endpoints.MapGet("/metrics", async (HttpContext context) =>
        {
            runtime.Metrics.QueueDepth.Set(runtime.Queue.Depth);
            context.Response.ContentType = MetricsContentType;
            await runtime.Metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
