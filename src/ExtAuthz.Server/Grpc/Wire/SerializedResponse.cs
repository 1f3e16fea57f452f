using Envoy.Service.Auth.V3;
using Google.Protobuf;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// A CheckResponse built once and kept both as the message (for the generated-classes path) and serialized, with
/// the completed task that hands it to gRPC: an answer reused across requests costs neither building,
/// serialization nor a task allocation. Nobody may mutate <see cref="Message"/>: it is shared.
/// </summary>
internal sealed class SerializedResponse
{
    public SerializedResponse(CheckResponse message)
    {
        Message = message;
        Bytes = message.ToByteArray();
        Completed = Task.FromResult(this);
        CompletedMessage = Task.FromResult(message);
        EstimatedBytes = (3 * Bytes.Length) + 768;
    }

    public CheckResponse Message { get; }

    public byte[] Bytes { get; }

    public Task<SerializedResponse> Completed { get; }

    public Task<CheckResponse> CompletedMessage { get; }

    /// <summary>
    /// What keeping this answer costs, roughly: the bytes, the message's strings (two bytes a char) and objects, the
    /// two tasks and the cache's own node.
    /// </summary>
    public int EstimatedBytes { get; }
}
