using Envoy.Service.Auth.V3;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace ExtAuthz.DevGateway;

/// <summary>
/// One request through the gateway, in Envoy's order: the connection manager's own headers, Check, then a deny or
/// error answered locally, or an allow applied to the request and forwarded upstream.
/// </summary>
internal sealed class GatewayHandler(CheckClient check, IHttpForwarder forwarder, HttpMessageInvoker upstream, DevGatewayOptions options, ILogger<GatewayHandler> logger)
{
    public const string MarkerHeader = "x-extauthz-dev-gateway";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var (method, path) = (request.Method, request.Path.Value ?? "/");
        context.Response.Headers[MarkerHeader] = "not-for-production";
        // What Envoy's connection manager adds before any filter runs, so Check and the upstream both see it.
        request.Headers["x-forwarded-proto"] = request.Scheme;
        if (!request.Headers.ContainsKey("x-request-id"))
        {
            request.Headers["x-request-id"] = Guid.NewGuid().ToString();
        }

        var (answer, error) = await check.CheckAsync(CheckRequestBuilder.Build(request), context.RequestAborted);
        if (answer is null)
        {
            GatewayLog.CheckFailed(logger, method, path, error, options.StatusOnError);
            DeniedResponseWriter.WriteError(context.Response, options.StatusOnError);
            return;
        }

        if (answer.Status is { Code: not 0 })
        {
            var denied = answer.DeniedResponse ?? new DeniedHttpResponse();
            await DeniedResponseWriter.WriteDeniedAsync(denied, context.Response);
            GatewayLog.Denied(logger, method, path, context.Response.StatusCode);
            return;
        }

        var ok = answer.OkResponse ?? new OkHttpResponse();
        OkResponseApplier.ApplyToRequest(ok, request);
        GatewayLog.Allowed(logger, method, path);
        var forwarded = await forwarder.SendAsync(context, options.UpstreamOrEcho, upstream, ForwarderRequestConfig.Empty, new ResponseHeadersTransformer(ok.ResponseHeadersToAdd));
        if (forwarded != ForwarderError.None)
        {
            GatewayLog.UpstreamFailed(logger, method, path, forwarded.ToString());
        }
    }
}
