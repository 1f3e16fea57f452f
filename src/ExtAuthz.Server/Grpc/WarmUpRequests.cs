using Envoy.Service.Auth.V3;
using Google.Protobuf;

namespace ExtAuthz.Server.Grpc;

/// <summary>The synthetic CheckRequests of the warm-up, shaped as Istio's Envoy sends them (about a dozen headers).</summary>
internal static class WarmUpRequests
{
    /// <summary>A host no route or profile uses, so a warm-up answer never resembles a real one.</summary>
    private const string Host = "warm-up.extauthz.invalid";

    public static byte[] Public() => Serialize("GET", "/dex/auth", []);

    public static byte[] WithoutToken() => Serialize("GET", "/notebook/warm-up/nb/", []);

    /// <summary>A signed request that names a namespace (a deny: no grant) and one that names none (an allow as authenticated).</summary>
    public static byte[][] WithToken(string token) =>
    [
        Serialize("POST", "/pipeline/apis/v2beta1/runs?namespace=warm-up", [new("authorization", $"Bearer {token}"), new("cookie", "a=b")]),
        Serialize("GET", "/warm-up/", [new("authorization", $"Bearer {token}")]),
    ];

    private static byte[] Serialize(string method, string path, KeyValuePair<string, string>[] extra)
    {
        var http = new AttributeContext.Types.HttpRequest
        {
            Id = "0",
            Method = method,
            Path = path,
            Host = Host,
            Scheme = "http",
            Protocol = "HTTP/1.1",
        };
        http.Headers.Add(":authority", Host);
        http.Headers.Add(":method", method);
        http.Headers.Add(":path", path);
        http.Headers.Add(":scheme", "http");
        http.Headers.Add("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        http.Headers.Add("accept-encoding", "gzip, deflate, br");
        http.Headers.Add("user-agent", "extauthz-warm-up");
        http.Headers.Add("x-forwarded-for", "10.0.0.1");
        http.Headers.Add("x-forwarded-proto", "https");
        http.Headers.Add("x-request-id", "00000000-0000-0000-0000-000000000000");
        http.Headers.Add("x-envoy-attempt-count", "1");
        http.Headers.Add("sec-fetch-mode", "navigate");
        foreach (var (name, value) in extra)
        {
            http.Headers[name] = value;
        }

        return new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Source = new AttributeContext.Types.Peer { Principal = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account" },
                Destination = new AttributeContext.Types.Peer { Principal = string.Empty },
                Request = new AttributeContext.Types.Request { Http = http },
            },
        }.ToByteArray();
    }
}
