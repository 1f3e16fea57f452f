using Envoy.Service.Auth.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ExtAuthz.Load.Requests;

/// <summary>
/// A CheckRequest shaped like the one a workload's sidecar sends for a Kubeflow browser call the ingress gateway
/// relayed (reference/envoy-ext-authz.md §4.4 plus the gateway's extra headers): 22 headers, a bearer JWT, the
/// gateway as source and the serving workload as destination (SPIFFE principals), the request time and id. The
/// benchmarks and the load run use the same shape.
/// </summary>
public static class IstioCheckRequest
{
    /// <summary>The :authority of Envoy's ext_authz call under Istio: the cluster name, '|' written as "_.", no port.</summary>
    public const string Authority = "outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local";

    public const string Host = "kubeflow.example.com";

    /// <summary>The browser's own cookies for the site, sent on every request (a session cookie rides beside them).</summary>
    public const string Cookies = "_ga=GA1.1.1843290573.1772360000; theme=dark";

    /// <param name="destination">The workload whose sidecar asks; by default the one that serves <paramref name="path"/>:
    /// a notebook's pod in its profile namespace for <c>/notebook/&lt;ns&gt;/…</c>, else the Jupyter web app.</param>
    /// <param name="headers">Headers that replace the standard one of the same name where it stands (a page
    /// navigation's <c>accept</c> and <c>sec-fetch-*</c>, a <c>cookie</c> with a session), or are added after them.</param>
    public static CheckRequest Create(string method, string path, string? token, string? destination = null, params (string Name, string Value)[] headers)
    {
        var http = new AttributeContext.Types.HttpRequest
        {
            Id = "7203587430592816218",
            Method = method,
            Path = path,
            Host = Host,
            Scheme = "https",
            Protocol = "HTTP/1.1",
            Size = 0,
        };
        var standard = http.Headers;
        standard.Add(":authority", Host);
        standard.Add(":method", method);
        standard.Add(":path", path);
        standard.Add(":scheme", "https");
        standard.Add("accept", "application/json, text/plain, */*");
        standard.Add("accept-encoding", "gzip, deflate, br, zstd");
        standard.Add("accept-language", "en-US,en;q=0.9");
        if (token is not null)
        {
            standard.Add("authorization", "Bearer " + token);
        }

        standard.Add("cookie", Cookies);
        standard.Add("referer", "https://kubeflow.example.com/_/jupyter/?ns=alice");
        standard.Add("sec-fetch-dest", "empty");
        standard.Add("sec-fetch-mode", "cors");
        standard.Add("sec-fetch-site", "same-origin");
        standard.Add("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        standard.Add("x-envoy-attempt-count", "1");
        standard.Add("x-envoy-internal", "true");
        standard.Add("x-forwarded-for", "10.244.0.1");
        standard.Add("x-forwarded-proto", "https");
        standard.Add("x-request-id", "2c1a2d5e-8f0e-9b7c-a3c1-5d0f2e8a1b44");
        standard.Add("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
        standard.Add("x-b3-spanid", "e457b5a2e4d86bd1");
        standard.Add("x-b3-parentspanid", "05e3ac9a4f6e3b90");
        standard.Add("x-b3-sampled", "0");
        foreach (var (name, value) in headers)
        {
            // A protobuf map keeps insertion order; setting a present key changes its value in place.
            standard[name] = value;
        }

        return new CheckRequest
        {
            Attributes = new AttributeContext
            {
                Source = Peer("10.244.0.1", 47856, "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"),
                Destination = Peer("10.244.2.9", 8080, destination ?? DestinationFor(path)),
                Request = new AttributeContext.Types.Request
                {
                    Time = new Timestamp { Seconds = 1_772_360_130, Nanos = 123_456_000 },
                    Http = http,
                },
                MetadataContext = new Envoy.Config.Core.V3.Metadata(),
                RouteMetadataContext = new Envoy.Config.Core.V3.Metadata(),
            },
        };
    }

    private static string DestinationFor(string path)
    {
        var segments = path.Split('/', 4);
        return segments.Length > 3 && segments[1] == "notebook"
            ? $"spiffe://cluster.local/ns/{segments[2]}/sa/default-editor"
            : "spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app-service-account";
    }

    /// <summary>The request as one gRPC length-prefixed message (uncompressed), the body h2load posts.</summary>
    public static byte[] GrpcFrame(CheckRequest request)
    {
        var message = request.ToByteArray();
        var frame = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static AttributeContext.Types.Peer Peer(string address, uint port, string principal) => new()
    {
        Address = new Envoy.Config.Core.V3.Address
        {
            SocketAddress = new Envoy.Config.Core.V3.SocketAddress { Address = address, PortValue = port },
        },
        Principal = principal,
    };
}
