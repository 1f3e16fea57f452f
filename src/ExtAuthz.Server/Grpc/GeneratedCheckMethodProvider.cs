using Envoy.Service.Auth.V3;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Operations;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace ExtAuthz.Server.Grpc;

/// <summary>
/// Binds <see cref="GeneratedCheckService"/> to the v3 and v2 Check paths with the generated parser behind a
/// marshaller of ours, in place of the generated binder: bytes that are not a CheckRequest are reported to
/// <see cref="MalformedRequestLog"/> (one folded line) and refused with INVALID_ARGUMENT, an RpcException the framework
/// logs below Warning, where the generated binder's parse error would be an UNKNOWN with a stack trace each.
/// </summary>
internal sealed class GeneratedCheckMethodProvider : IServiceMethodProvider<GeneratedCheckService>
{
    private readonly MalformedRequestLog _malformed;

    public GeneratedCheckMethodProvider(MalformedRequestLog malformed) => _malformed = malformed;

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<GeneratedCheckService> context)
    {
        var request = new Marshaller<CheckRequest>(static (_, _) => throw new NotSupportedException("the server never sends a CheckRequest"), Parse);
        var response = new Marshaller<CheckResponse>(Write, static _ => throw new NotSupportedException("the server never reads a CheckResponse"));
        foreach (var service in new[] { CheckWireMethodProvider.V3Service, CheckWireMethodProvider.V2Service })
        {
            var method = new Method<CheckRequest, CheckResponse>(MethodType.Unary, service, "Check", request, response);
            context.AddUnaryMethod(method, [], static (service, input, call) => service.Check(input, call));
        }
    }

    private CheckRequest Parse(DeserializationContext context)
    {
        try
        {
            return CheckRequest.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
        }
        catch (InvalidProtocolBufferException ex)
        {
            _malformed.Report(ex.Message);
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the message is not a CheckRequest"));
        }
    }

    private static void Write(CheckResponse message, SerializationContext context)
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
