using System.Buffers.Binary;
using System.Net;
using Envoy.Service.Auth.V3;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ExtAuthz.DevGateway.Tests;

/// <summary>
/// An h2c gRPC Check endpoint written by hand: records the authority and the CheckRequest it received and answers
/// <see cref="Answer"/>, gRPC UNAVAILABLE when it is null, or nothing at all with <see cref="Hang"/>, so any CheckResponse can be put before the gateway.
/// </summary>
internal sealed class FakeCheckServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCheckServer(WebApplication app) => _app = app;

    public string Address => _app.Urls.Single();

    public CheckResponse? Answer { get; set; } = new();

    /// <summary>When set, a Check is never answered (until the caller gives up).</summary>
    public bool Hang { get; set; }

    public string? Authority { get; private set; }

    public CheckRequest? Received { get; private set; }

    public static async Task<FakeCheckServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var fake = new FakeCheckServer(app);
        app.MapPost("/envoy.service.auth.v3.Authorization/Check", fake.CheckAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task CheckAsync(HttpContext context)
    {
        Authority = context.Request.Host.Value;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Received = CheckRequest.Parser.ParseFrom(body.ToArray().AsSpan(5));

        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.ContentType = "application/grpc";
        if (Answer is null)
        {
            context.Response.AppendTrailer("grpc-status", "14");
            return;
        }

        var payload = Answer.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
