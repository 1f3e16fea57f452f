using ExtAuthz.Cli;
using Grpc.Net.Client;

namespace ExtAuthz.Testing;

/// <summary>
/// The <c>:authority</c> Istio's Envoy writes on its ext_authz calls: the cluster name with '|' replaced by "_.",
/// no port, and not the address dialled. Every end-to-end client sends it by default, so a server that routed by
/// authority would fail every test at once.
/// </summary>
public static class IstioAuthority
{
    public const string Value = "outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local";

    /// <summary>A gRPC channel that dials <paramref name="address"/> and writes <paramref name="authority"/> on every call.</summary>
    public static GrpcChannel Channel(string address, string authority = Value)
    {
        var (handler, standIn) = FixedAuthority.For(new Uri(address), authority);
        return GrpcChannel.ForAddress(standIn, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>An HTTP client that dials <paramref name="address"/> and writes <paramref name="authority"/> as Host or :authority.</summary>
    public static HttpClient Http(string address, string authority = Value)
    {
        var (handler, standIn) = FixedAuthority.For(new Uri(address), authority);
        return new HttpClient(handler) { BaseAddress = standIn };
    }
}
