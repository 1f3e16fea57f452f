using Envoy.Service.Auth.V3;

namespace ExtAuthz.Testing;

/// <summary>CheckRequests shaped like the ones Istio's Envoy sends (reference: envoy-ext-authz.md §4.4).</summary>
public static class Requests
{
    public static CheckRequest Istio(string method, string path, string host = "kubeflow.example.com",
        IEnumerable<KeyValuePair<string, string>>? headers = null, string sourcePrincipal = "", string destinationPrincipal = "")
    {
        var http = new AttributeContext.Types.HttpRequest
        {
            Id = "7203587430592816218",
            Method = method,
            Path = path,
            Host = host,
            Scheme = "http",
            Protocol = "HTTP/1.1",
        };
        http.Headers.Add(":authority", host);
        http.Headers.Add(":method", method);
        http.Headers.Add(":path", path);
        http.Headers.Add(":scheme", "http");
        http.Headers.Add("accept", "*/*");
        http.Headers.Add("user-agent", "curl/8.5.0");
        http.Headers.Add("x-forwarded-proto", "http");
        http.Headers.Add("x-request-id", "2c1a2d5e-8f0e-9b7c-a3c1-5d0f2e8a1b44");
        http.Headers.Add("x-envoy-attempt-count", "1");
        foreach (var (name, value) in headers ?? [])
        {
            http.Headers[name] = value;
        }

        return new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Source = new AttributeContext.Types.Peer { Principal = sourcePrincipal },
                Destination = new AttributeContext.Types.Peer { Principal = destinationPrincipal },
                Request = new AttributeContext.Types.Request { Http = http },
            },
        };
    }
}
