using System.Net;
using System.Text.Json;
using ExtAuthz.Server.Hosting;

namespace ExtAuthz.Server.Operations;

/// <summary>The HTTP/1.1 ops port: liveness, readiness, and development endpoints for loopback callers only.</summary>
internal static class OpsEndpoints
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void MapOps(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", (ReadinessState readiness, StartWarnings warnings) =>
        {
            var ready = readiness.IsReady;
            var body = new
            {
                status = ready ? "ready" : "not ready",
                draining = readiness.IsDraining,
                warnings = warnings.Lines,
                components = readiness.Contributors.ToDictionary(c => c.Name, c => new
                {
                    ready = c.IsReady,
                    gates = c.Gates,
                    state = c.Describe(),
                }),
            };
            // Unauthenticated on every interface: a key-set URL is shown without its user-info (user:password@).
            var text = UrlRedaction.Redact(JsonSerializer.Serialize(body, s_json));
            return Results.Text(text + "\n", "application/json", statusCode: ready ? 200 : 503);
        });
    }

    // Istio's sidecar delivers inbound traffic to the app from this loopback address.
    private static readonly IPAddress s_istioInbound = IPAddress.Parse("127.0.0.6");

    /// <summary>
    /// True for a caller on this machine that was not relayed by a proxy; development endpoints answer nobody
    /// else. A loopback source alone is not enough: a sidecar delivers every inbound request from 127.0.0.6, and a
    /// proxy on the host leaves forwarding headers.
    /// </summary>
    public static bool IsLoopback(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address))
        {
            return false;
        }

        if ((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).Equals(s_istioInbound))
        {
            return false;
        }

        foreach (var header in context.Request.Headers.Keys)
        {
            if (header.StartsWith("x-forwarded-", StringComparison.OrdinalIgnoreCase)
                || header.StartsWith("x-envoy-", StringComparison.OrdinalIgnoreCase)
                || header.Equals("forwarded", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An endpoint filter that answers 404 to any caller that is not on loopback.</summary>
    public static TBuilder LoopbackOnly<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            IsLoopback(context.HttpContext) ? await next(context) : Results.NotFound());
}
