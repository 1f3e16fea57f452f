using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace ExtAuthz.DevGateway;

/// <summary>
/// Builds the CheckRequest Istio's Envoy sends for a request: the <c>headers</c> map (lower-case names, repeated
/// headers joined as Envoy joins them, the pseudo-headers included), method, path with query, host, scheme and
/// protocol, and empty source and destination principals (gateway mode).
/// </summary>
internal static class CheckRequestBuilder
{
    public static CheckRequest Build(HttpRequest request)
    {
        var authority = request.Host.Value ?? "";
        var path = request.GetEncodedPathAndQuery();
        var http = new AttributeContext.Types.HttpRequest
        {
            Id = request.HttpContext.TraceIdentifier,
            Method = request.Method,
            Path = path,
            Host = authority,
            Scheme = request.Scheme,
            Protocol = request.Protocol,
            Size = request.ContentLength ?? 0,
        };
        foreach (var (name, values) in request.Headers)
        {
            var key = name.ToLowerInvariant();
            if (key != "host" && !key.StartsWith(':'))
            {
                http.Headers[key] = string.Join(key == "cookie" ? "; " : ",", values.ToArray());
            }
        }

        http.Headers[":authority"] = authority;
        http.Headers[":method"] = request.Method;
        http.Headers[":path"] = path;
        http.Headers[":scheme"] = request.Scheme;

        var connection = request.HttpContext.Connection;
        return new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Source = new AttributeContext.Types.Peer { Principal = "", Address = Address(connection.RemoteIpAddress, connection.RemotePort) },
                Destination = new AttributeContext.Types.Peer { Principal = "", Address = Address(connection.LocalIpAddress, connection.LocalPort) },
                Request = new AttributeContext.Types.Request { Http = http },
            },
        };
    }

    private static Address? Address(System.Net.IPAddress? ip, int port) =>
        ip is null ? null : new Address { SocketAddress = new SocketAddress { Address = ip.ToString(), PortValue = (uint)port } };
}
