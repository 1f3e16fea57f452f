using System.Buffers;
using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Operations;
using Google.Protobuf;
using Grpc.Core;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// The gRPC marshallers of the lean Check path: request bytes straight into a <see cref="CheckInput"/>, and a
/// <see cref="SerializedResponse"/> written out as it is. Bytes the lean reader cannot walk go through the
/// generated parser instead, so the lean path never accepts or rejects anything the generated one would not.
/// </summary>
internal static class CheckMarshallers
{
    /// <param name="malformed">
    /// Told of bytes that are not a CheckRequest, which are then refused with INVALID_ARGUMENT: an RpcException the
    /// framework logs below Warning, so a flood of bad frames costs one folded line instead of a stack trace each.
    /// </param>
    public static Marshaller<CheckInput> Request(SlotNames names, MalformedRequestLog malformed) =>
        new(static (_, _) => throw new NotSupportedException("the server never sends a CheckRequest"), context =>
        {
            try
            {
                return Read(context, names);
            }
            catch (InvalidProtocolBufferException ex)
            {
                malformed.Report(ex.Message);
                throw new RpcException(new Status(StatusCode.InvalidArgument, "the message is not a CheckRequest"));
            }
        });

    public static Marshaller<SerializedResponse> Response { get; } =
        new(static (response, context) =>
        {
            var bytes = response.Bytes;
            context.SetPayloadLength(bytes.Length);
            var writer = context.GetBufferWriter();
            bytes.CopyTo(writer.GetSpan(bytes.Length));
            writer.Advance(bytes.Length);
            context.Complete();
        }, static _ => throw new NotSupportedException("the server never reads a CheckResponse"));

    private static CheckInput Read(DeserializationContext context, SlotNames names) => Read(context.PayloadAsReadOnlySequence(), names);

    /// <summary>A message in one or more segments: read in place, or from one pooled copy when it is split.</summary>
    public static CheckInput Read(in ReadOnlySequence<byte> payload, SlotNames names)
    {
        if (payload.IsSingleSegment)
        {
            return Read(payload.FirstSpan, names);
        }

        var length = checked((int)payload.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return Read(rented.AsSpan(0, length), names);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static CheckInput Read(ReadOnlySpan<byte> message, SlotNames names)
    {
        var input = new CheckInput(names.Slots);
        try
        {
            CheckRequestWireReader.Read(message, input, names);
        }
        catch (MalformedWireException)
        {
            input.Reset();
            CheckRequestReader.Read(CheckRequest.Parser.ParseFrom(message), input);
        }

        return input;
    }
}
