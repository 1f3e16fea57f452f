using System.Buffers.Binary;
using Envoy.Service.Auth.V3;
using Google.Protobuf;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// A CheckResponse built once and kept both as the message (for the generated-classes path) and serialized as a
/// whole gRPC length-prefixed frame, with the completed task that hands it on: an answer reused across requests
/// costs neither building, serialization, framing nor a task allocation. Nobody may mutate <see cref="Message"/>:
/// it is shared.
/// </summary>
internal sealed class SerializedResponse
{
    /// <summary>The gRPC message prefix: one flag byte (0: not compressed), then the length, four bytes big-endian.</summary>
    public const int PrefixLength = 5;

    public SerializedResponse(CheckResponse message)
    {
        Message = message;
        var length = message.CalculateSize();
        var frame = new byte[PrefixLength + length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)length);
        message.WriteTo(frame.AsSpan(PrefixLength));
        Frame = frame;
        Completed = Task.FromResult(this);
        CompletedMessage = Task.FromResult(message);
        EstimatedBytes = (3 * frame.Length) + 768;
    }

    public CheckResponse Message { get; }

    /// <summary>The serialized message.</summary>
    public ReadOnlySpan<byte> Bytes => Frame.AsSpan(PrefixLength);

    /// <summary>The serialized message as one gRPC frame, written to the response as it is.</summary>
    public byte[] Frame { get; }

    public Task<SerializedResponse> Completed { get; }

    public Task<CheckResponse> CompletedMessage { get; }

    /// <summary>
    /// What keeping this answer costs, roughly: the bytes, the message's strings (two bytes a char) and objects, the
    /// two tasks and the cache's own node.
    /// </summary>
    public int EstimatedBytes { get; }
}
