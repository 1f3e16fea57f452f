using Google.Protobuf;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// A CheckResponse already serialized, with the completed task that hands it to gRPC: an answer reused across
/// requests costs neither serialization nor a task allocation.
/// </summary>
internal sealed class SerializedResponse
{
    public SerializedResponse(byte[] bytes)
    {
        Bytes = bytes;
        Completed = Task.FromResult(this);
    }

    public byte[] Bytes { get; }

    public Task<SerializedResponse> Completed { get; }

    public static SerializedResponse From(IMessage response) => new(response.ToByteArray());
}
