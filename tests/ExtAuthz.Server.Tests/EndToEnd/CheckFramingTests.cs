using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;
using Google.Protobuf;

namespace ExtAuthz.Server.Tests.EndToEnd;

/// <summary>
/// Check calls as bytes on an HTTP/2 stream: the gRPC framing itself (prefix, length, compressed flag, one message
/// per unary call, content type, encoding) with every way a client can get it wrong. Each bad frame gets a gRPC
/// status, never a hang, an allow or a dropped connection, and the next call is served.
/// </summary>
public sealed class CheckFramingTests : IAsyncLifetime
{
    private const int MaxRequestBytes = 64 * 1024;

    private ServerInstance _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerInstance.StartAsync([$"--Server:MaxRequestBytes={MaxRequestBytes}"]);
        _http = IstioAuthority.Http($"http://127.0.0.1:{_server.GrpcPort}");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static byte[] Public => Requests.Istio("GET", "/dex/").ToByteArray();

    private static byte[] Frame(byte flag, byte[] message, int? announced = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), announced ?? message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static TheoryData<string, byte[], string, string> BadFrames() => new()
    {
        { "no body at all", [], "13", "Incomplete message." },
        { "three bytes of a prefix", [0, 0, 0], "13", "Incomplete message." },
        { "a prefix announcing more than is sent", Frame(0, Public, Public.Length + 10), "13", "Incomplete message." },
        { "a message and one byte more", [.. Frame(0, Public), 0], "13", "Additional data after the message received." },
        { "two messages in a unary call", [.. Frame(0, Public), .. Frame(0, Public)], "13", "Additional data after the message received." },
        { "compressed flag without grpc-encoding", Frame(1, Public), "13", "the message is compressed but the request names no grpc-encoding" },
        { "compressed flag 2", Frame(2, Public), "13", "the message's compressed flag is neither 0 nor 1" },
        { "a message over the size limit", Frame(0, new byte[MaxRequestBytes + 1]), "8", "Received message exceeds the maximum configured message size." },
        { "a length of 4 GiB - 1", Frame(0, [], unchecked((int)uint.MaxValue)), "8", "Received message exceeds the maximum configured message size." },
        { "bytes that are not a CheckRequest", Frame(0, [0x0A, 0xFF, 0x01, 0x00]), "3", "the message is not a CheckRequest" },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task Check_BadFrame_GetsItsGrpcStatusAndTheNextCallIsServed(string name, byte[] body, string status, string message)
    {
        using var response = await SendAsync(body);
        var headers = await ReadStatusAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((status, message) == headers, $"{name}: got {headers}");
        Assert.Equal(0, (await CheckAsync(Frame(0, Public))).Status.Code);
    }

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    [InlineData("Application/GRPC")]
    public async Task Check_GrpcContentTypes_AreAnswered(string contentType)
    {
        var answer = await CheckAsync(Frame(0, Public), contentType);

        Assert.Equal(0, answer.Status.Code);
        Assert.NotNull(answer.OkResponse);
    }

    [Fact]
    public async Task Check_GzipMessageWithItsEncoding_IsAnsweredAsAnyOther()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Requests.Istio("GET", "/notebook/alice/").ToByteArray());
        }

        var answer = await CheckAsync(Frame(1, compressed.ToArray()), encoding: "gzip");

        Assert.Equal(16, answer.Status.Code);
        Assert.Equal("missing_token", answer.Status.Message);
    }

    [Fact]
    public async Task Check_NotAGrpcContentType_IsRefusedWithoutAnAnswer()
    {
        using var response = await SendAsync(Frame(0, Public), "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, (await CheckAsync(Frame(0, Public))).Status.Code);
    }

    [Fact]
    public async Task Check_OversizedPrefixWhileTheBodyIsStillOpen_IsRefusedBeforeTheBodyEnds()
    {
        var hold = new TaskCompletionSource();
        var content = new HeldOpenContent(Frame(0, [], MaxRequestBytes * 16), hold.Task);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = Request(content);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var headers = await ReadStatusAsync(response);
        hold.SetResult();

        Assert.Equal(("8", "Received message exceeds the maximum configured message size."), headers);
        Assert.Equal(0, (await CheckAsync(Frame(0, Public))).Status.Code);
    }

    [Fact]
    public async Task Check_OneMessage_IsOneFrameAndStatusZeroInTheTrailers()
    {
        using var response = await SendAsync(Frame(0, Public));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length - 5, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1)));
        Assert.Equal(0, body[0]);
        Assert.Equal(0, CheckResponse.Parser.ParseFrom(body.AsSpan(5)).Status.Code);
        Assert.Equal(["0"], response.TrailingHeaders.GetValues("grpc-status"));
    }

    private HttpRequestMessage Request(HttpContent content, string path = "/envoy.service.auth.v3.Authorization/Check") =>
        new(HttpMethod.Post, path) { Content = content, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

    private async Task<HttpResponseMessage> SendAsync(byte[] body, string contentType = "application/grpc", string? encoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = Request(content);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        return await _http.SendAsync(request);
    }

    private async Task<CheckResponse> CheckAsync(byte[] body, string contentType = "application/grpc", string? encoding = null)
    {
        using var response = await SendAsync(body, contentType, encoding);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(["0"], response.TrailingHeaders.GetValues("grpc-status"));
        var flag = bytes[0];
        Assert.Equal(0, flag);
        return CheckResponse.Parser.ParseFrom(bytes.AsSpan(5));
    }

    /// <summary>The status of a call that ended without a message: in the headers (trailers-only), else the trailers.</summary>
    private static async Task<(string? Status, string? Message)> ReadStatusAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Empty(body);
        string? Get(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.TrailingHeaders.TryGetValues(name, out values) ? values.Single() : null;
        return (Get("grpc-status"), Get("grpc-message") is { } message ? Uri.UnescapeDataString(message) : null);
    }

    /// <summary>Sends its bytes, then keeps the request stream open until told.</summary>
    private sealed class HeldOpenContent(byte[] first, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await release;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
