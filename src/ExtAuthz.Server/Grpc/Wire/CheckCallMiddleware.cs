using System.Buffers;
using System.Buffers.Binary;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Server.Operations;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// Answers Envoy's Check calls on the gRPC listener straight from Kestrel, before routing and the gRPC framework:
/// the request body is one length-prefixed message (gRPC over HTTP/2), read in place by the lean reader, and the
/// answer is one pre-framed message and <c>grpc-status: 0</c> in the trailers. The framework's per-call machinery
/// (call context, deadline manager, message reader and writer, endpoint routing) was a fifth of the server's CPU per
/// Check (BENCHMARKS.md). Only the calls the gRPC protocol makes unambiguous are taken here — POST over HTTP/2 on the
/// gRPC listener, the v3 or v2 Check path, a gRPC content type, no message encoding; anything else (a compressed
/// call, another content type, another method or listener) goes on to the framework, which answers it as before.
/// </summary>
internal sealed class CheckCallMiddleware
{
    public const string V3Path = "/" + CheckWireMethodProvider.V3Service + "/Check";
    public const string V2Path = "/" + CheckWireMethodProvider.V2Service + "/Check";

    private const string GrpcContentType = "application/grpc";
    private const string GrpcStatus = "grpc-status";
    private const string GrpcMessage = "grpc-message";
    private const string GrpcEncoding = "grpc-encoding";

    private static readonly StringValues s_ok = "0";

    private readonly RequestDelegate _next;
    private readonly CheckHandler _handler;
    private readonly SlotNames _names;
    private readonly MalformedRequestLog _malformed;
    private readonly ILogger<CheckCallMiddleware> _logger;
    private readonly int _maxMessageBytes;

    public CheckCallMiddleware(RequestDelegate next, CheckHandler handler, SlotNames names, MalformedRequestLog malformed, ServerOptions server, ILogger<CheckCallMiddleware> logger)
    {
        _next = next;
        _handler = handler;
        _names = names;
        _malformed = malformed;
        _logger = logger;
        _maxMessageBytes = server.MaxRequestBytes;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!IsPlainCheckCall(context))
        {
            return _next(context);
        }

        var body = context.Request.BodyReader;
        if (body.TryRead(out var read))
        {
            if (read.IsCompleted)
            {
                return Answer(context, body, read.Buffer);
            }

            if (Prefix(read.Buffer) is { } early && early.Problem is not null)
            {
                body.AdvanceTo(read.Buffer.Start);
                return WriteStatusAsync(context, early.Code, early.Problem);
            }

            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        return ReadThenAnswerAsync(context, body);
    }

    /// <summary>What the gRPC framework would also take as a unary call with an unencoded message, on our gRPC listener.</summary>
    private static bool IsPlainCheckCall(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value;
        if (!(string.Equals(path, V3Path, StringComparison.Ordinal) || string.Equals(path, V2Path, StringComparison.Ordinal))
            || !HttpMethods.IsPost(request.Method)
            || !HttpProtocol.IsHttp2(request.Protocol)
            || !ReferenceEquals(context.Features.Get<Listener>(), Listener.Grpc)
            || !IsGrpcContentType(request.ContentType))
        {
            return false;
        }

        return !request.Headers.TryGetValue(GrpcEncoding, out var encoding) || encoding is ["identity"];
    }

    /// <summary><c>application/grpc</c>, alone or followed by <c>+</c> (a format) or <c>;</c> (parameters), as the protocol spells it.</summary>
    private static bool IsGrpcContentType(string? contentType) =>
        contentType is not null
        && contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == GrpcContentType.Length || contentType[GrpcContentType.Length] is '+' or ';');

    private async Task ReadThenAnswerAsync(HttpContext context, System.IO.Pipelines.PipeReader body)
    {
        while (true)
        {
            var read = await body.ReadAsync(context.RequestAborted);
            if (read.IsCompleted)
            {
                await Answer(context, body, read.Buffer);
                return;
            }

            if (Prefix(read.Buffer) is { } early && early.Problem is not null)
            {
                // Refused from its prefix alone: an oversized message is never buffered.
                body.AdvanceTo(read.Buffer.Start);
                await WriteStatusAsync(context, early.Code, early.Problem);
                return;
            }

            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>The message length its first five bytes announce, or the problem they already show; null while they are not all here.</summary>
    private (uint Length, StatusCode Code, string? Problem)? Prefix(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < SerializedResponse.PrefixLength)
        {
            return null;
        }

        Span<byte> prefix = stackalloc byte[SerializedResponse.PrefixLength];
        buffer.Slice(0, SerializedResponse.PrefixLength).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (prefix[0] != 0)
        {
            return (length, StatusCode.Internal, prefix[0] == 1
                ? "the message is compressed but the request names no grpc-encoding"
                : "the message's compressed flag is neither 0 nor 1");
        }

        return length > (uint)_maxMessageBytes
            ? (length, StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.")
            : (length, StatusCode.OK, null);
    }

    /// <summary>The whole body is here: exactly one message, read, decided and answered.</summary>
    private Task Answer(HttpContext context, System.IO.Pipelines.PipeReader body, ReadOnlySequence<byte> buffer)
    {
        var (length, code, problem) = Prefix(buffer) ?? (0, StatusCode.Internal, "Incomplete message.");
        if (problem is null)
        {
            var rest = buffer.Length - SerializedResponse.PrefixLength;
            (code, problem) = rest < length ? (StatusCode.Internal, "Incomplete message.")
                : rest > length ? (StatusCode.Internal, "Additional data after the message received.")
                : (StatusCode.OK, null);
        }

        if (problem is not null)
        {
            body.AdvanceTo(buffer.End);
            return WriteStatusAsync(context, code, problem);
        }

        CheckInput input;
        try
        {
            input = CheckMarshallers.Read(buffer.Slice(SerializedResponse.PrefixLength), _names);
        }
        catch (InvalidProtocolBufferException ex)
        {
            body.AdvanceTo(buffer.End);
            _malformed.Report(ex.Message);
            return WriteStatusAsync(context, StatusCode.InvalidArgument, "the message is not a CheckRequest");
        }

        body.AdvanceTo(buffer.End);
        Task<SerializedResponse> answer;
        try
        {
            answer = _handler.HandleInputAsync(input, DecisionTiming.Asked(context.Request.Headers), new CallAbort(context));
        }
        catch (Exception ex)
        {
            return Failed(context, ex);
        }

        if (answer.IsCompletedSuccessfully)
        {
            WriteAnswer(context, answer.Result);
            return Task.CompletedTask;
        }

        return AnswerLaterAsync(context, answer);
    }

    private async Task AnswerLaterAsync(HttpContext context, Task<SerializedResponse> answer)
    {
        SerializedResponse response;
        try
        {
            response = await answer;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller reset the stream: nobody reads an answer.
            return;
        }
        catch (Exception ex)
        {
            await Failed(context, ex);
            return;
        }

        WriteAnswer(context, response);
    }

    /// <summary>
    /// The answer: headers, one frame, <c>grpc-status: 0</c> in the trailers. Nothing is flushed here: Kestrel sends
    /// the headers, the data and the trailers together when the request ends.
    /// </summary>
    private static void WriteAnswer(HttpContext context, SerializedResponse answer)
    {
        var response = context.Response;
        response.ContentType = GrpcContentType;
        context.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers[GrpcStatus] = s_ok;
        response.BodyWriter.Write(answer.Frame);
    }

    /// <summary>A call that ends without a message: the status in the headers alone ("trailers-only"), as gRPC does.</summary>
    private static Task WriteStatusAsync(HttpContext context, StatusCode code, string message)
    {
        var response = context.Response;
        response.ContentType = GrpcContentType;
        response.Headers[GrpcStatus] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcMessage] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }

    /// <summary>A fault of ours, not of the request: logged with its exception, answered UNKNOWN like the framework did.</summary>
    private Task Failed(HttpContext context, Exception exception)
    {
        OperationsLog.CheckFailed(_logger, exception);
        return WriteStatusAsync(context, StatusCode.Unknown, "Exception was thrown by handler.");
    }
}
