using Envoy.Config.Core.V3;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace ExtAuthz.DevGateway;

/// <summary>
/// Forwards with the request's own <c>Host</c> (Envoy keeps <c>:authority</c>) and puts an allow's
/// <c>response_headers_to_add</c> on the upstream's response.
/// </summary>
internal sealed class ResponseHeadersTransformer(IEnumerable<HeaderValueOption> responseHeadersToAdd) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copied = await Default.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        OkResponseApplier.ApplyToResponse(responseHeadersToAdd, httpContext.Response.Headers);
        return copied;
    }
}
