using System.Buffers.Binary;
using System.IO.Pipelines;
using Envoy.Service.Auth.V3;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Testing;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Wire;

/// <summary>
/// The Check middleware against a request body it does not get all at once: the answer waits for the whole message
/// (and the end of the stream), a prefix that already shows a problem is answered without waiting for the rest, and
/// a request that is not a plain Check call on the gRPC listener is handed on untouched.
/// </summary>
public sealed class CheckCallMiddlewareTests : IAsyncLifetime
{
    private ServerInstance _server = null!;

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static byte[] Frame(byte[] message, int? announced = null)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), announced ?? message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(100)]
    public async Task Invoke_BodyInTwoParts_AnswersOnlyOnceTheStreamEnds(int firstPart)
    {
        var frame = Frame(Requests.Istio("GET", "/dex/").ToByteArray());
        var call = new Call(_server, Listener.Grpc);

        await call.Body.Writer.WriteAsync(frame.AsMemory(0, firstPart));
        var invoked = call.Invoke();
        await Task.Yield();
        var waitedForTheRest = !invoked.IsCompleted;
        await call.Body.Writer.WriteAsync(frame.AsMemory(firstPart));
        await call.Body.Writer.CompleteAsync();
        await invoked;

        Assert.True(waitedForTheRest);
        Assert.Equal("0", call.Trailers["grpc-status"]);
        Assert.Equal(0, CheckResponse.Parser.ParseFrom(call.ResponseBody.AsSpan(5)).Status.Code);
        Assert.False(call.Next);
    }

    [Fact]
    public async Task Invoke_OversizedPrefixFirst_AnsweredBeforeTheRestArrives()
    {
        var call = new Call(_server, Listener.Grpc);

        await call.Body.Writer.WriteAsync(Frame([], 64 * 1024 * 1024));
        await call.Invoke();

        Assert.Equal("8", call.Context.Response.Headers["grpc-status"]);
        Assert.Empty(call.ResponseBody);
    }

    public static TheoryData<string, string, string, string, string?> NotPlainCalls() => new()
    {
        { "the ops listener", "ops", "/envoy.service.auth.v3.Authorization/Check", "POST", "application/grpc" },
        { "another method name", "grpc", "/envoy.service.auth.v3.Authorization/Other", "POST", "application/grpc" },
        { "a GET", "grpc", "/envoy.service.auth.v3.Authorization/Check", "GET", "application/grpc" },
        { "another content type", "grpc", "/envoy.service.auth.v3.Authorization/Check", "POST", "application/grpc-web" },
        { "no content type", "grpc", "/envoy.service.auth.v3.Authorization/Check", "POST", null },
        { "health", "grpc", "/grpc.health.v1.Health/Check", "POST", "application/grpc" },
    };

    [Theory]
    [MemberData(nameof(NotPlainCalls))]
    public async Task Invoke_NotAPlainCheckCall_HandedOnUnread(string name, string listener, string path, string method, string? contentType)
    {
        var call = new Call(_server, listener == "ops" ? Listener.Ops : Listener.Grpc, path, method, contentType);
        await call.Body.Writer.WriteAsync(Frame(Requests.Istio("GET", "/dex/").ToByteArray()));
        await call.Body.Writer.CompleteAsync();

        await call.Invoke();

        Assert.True(call.Next, name);
        Assert.True(call.Body.Reader.TryRead(out var unread));
        Assert.False(unread.Buffer.IsEmpty);
    }

    [Fact]
    public async Task Invoke_GrpcEncodingGzip_HandedOnToTheFramework()
    {
        var call = new Call(_server, Listener.Grpc);
        call.Context.Request.Headers["grpc-encoding"] = "gzip";
        await call.Body.Writer.CompleteAsync();

        await call.Invoke();

        Assert.True(call.Next);
    }

    /// <summary>One HTTP/2 request as Kestrel hands it over, with a body pipe the test writes to.</summary>
    private sealed class Call
    {
        private readonly CheckCallMiddleware _middleware;
        private readonly MemoryStream _response = new();

        public Call(ServerInstance server, Listener listener, string path = CheckCallMiddleware.V3Path, string method = "POST", string? contentType = "application/grpc")
        {
            Context = new DefaultHttpContext();
            Context.Features.Set(listener);
            Context.Features.Set<IRequestBodyPipeFeature>(new BodyFeature(Body.Reader));
            Context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(_response));
            Context.Features.Set<IHttpResponseTrailersFeature>(new TrailersFeature());
            Context.Request.Protocol = "HTTP/2";
            Context.Request.Method = method;
            Context.Request.Path = path;
            Context.Request.ContentType = contentType;
            _middleware = ActivatorUtilities.CreateInstance<CheckCallMiddleware>(server.Services, new RequestDelegate(_ =>
            {
                Next = true;
                return Task.CompletedTask;
            }));
        }

        public Pipe Body { get; } = new();

        public DefaultHttpContext Context { get; }

        public bool Next { get; private set; }

        public IHeaderDictionary Trailers => Context.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers;

        public byte[] ResponseBody
        {
            get
            {
                Context.Response.BodyWriter.FlushAsync().AsTask().GetAwaiter().GetResult();
                return _response.ToArray();
            }
        }

        public Task Invoke() => _middleware.InvokeAsync(Context);

        private sealed class BodyFeature(PipeReader reader) : IRequestBodyPipeFeature
        {
            public PipeReader Reader { get; } = reader;
        }

        private sealed class TrailersFeature : IHttpResponseTrailersFeature
        {
            public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
        }
    }
}
