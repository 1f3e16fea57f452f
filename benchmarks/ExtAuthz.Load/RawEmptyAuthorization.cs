using Envoy.Service.Auth.V3;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace ExtAuthz.Load;

/// <summary>
/// The second floor: an empty Check handler bound with raw-bytes marshallers. It parses nothing — the request
/// payload is never read — and writes one pre-serialized allow, so it costs only what Kestrel, HTTP/2 and the gRPC
/// framework cost. ExtAuthz also reads the bytes it needs and reuses serialized answers; against this floor its
/// own work is all that differs.
/// </summary>
internal sealed class RawEmptyAuthorization
{
    private static readonly byte[] s_allow = new CheckResponse { Status = new Google.Rpc.Status(), OkResponse = new OkHttpResponse() }.ToByteArray();
    private static readonly Task<Unread> s_request = Task.FromResult(Unread.Instance);
    private static readonly Task<byte[]> s_answer = Task.FromResult(s_allow);

    public Task<byte[]> Check(Unread request, ServerCallContext context) => s_answer;

    /// <summary>The request as the raw floor sees it: nothing.</summary>
    internal sealed class Unread
    {
        public static Unread Instance { get; } = new();
    }

    /// <summary>Binds <see cref="Check"/> to the v3 Check path with marshallers that neither parse nor serialize.</summary>
    internal sealed class MethodProvider : IServiceMethodProvider<RawEmptyAuthorization>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<RawEmptyAuthorization> context)
        {
            var request = new Marshaller<Unread>(static (_, _) => throw new NotSupportedException(), static _ => Unread.Instance);
            var response = new Marshaller<byte[]>(static (bytes, context) => context.Complete(bytes), static _ => throw new NotSupportedException());
            var method = new Method<Unread, byte[]>(MethodType.Unary, "envoy.service.auth.v3.Authorization", "Check", request, response);
            context.AddUnaryMethod(method, [], static (service, input, call) => service.Check(input, call));
        }
    }
}
