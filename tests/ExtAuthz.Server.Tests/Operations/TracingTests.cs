using System.Collections.Concurrent;
using System.Diagnostics;
using ExtAuthz.Server.Operations;
using ExtAuthz.Server.Tests.Operations.Support;
using ExtAuthz.Testing;
using Grpc.Core;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>One Activity per Check, parented on the call's own trace context, else on the client request's headers.</summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests : IAsyncLifetime, IDisposable
{
    private const string MetadataTrace = "0af7651916cd43dd8448eb211c80319c";
    private const string HeaderTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private OpsServer _server = null!;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            // ASP.NET Core's own source too: that is how the call's traceparent metadata becomes the current Activity.
            ShouldListenTo = source => source.Name is CheckTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync() => _server = await OpsServer.StartAsync(new FakeAuthenticator());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    [Theory]
    [InlineData("traceparent", $"00-{HeaderTrace}-00f067aa0ba902b7-01", HeaderTrace, "00f067aa0ba902b7")]
    [InlineData("b3", $"{HeaderTrace}-00f067aa0ba902b7-1", HeaderTrace, "00f067aa0ba902b7")]
    [InlineData("b3", "a3ce929d0e0e4736-00f067aa0ba902b7-1", "0000000000000000a3ce929d0e0e4736", "00f067aa0ba902b7")]
    public async Task Check_TraceHeadersInRequest_ActivityIsTheirChild(string header, string value, string traceId, string parentSpan)
    {
        await _server.CheckAsync("/notebook/alice/nb/", headers: [(header, value)]);

        var activity = CheckActivity(traceId);
        Assert.Equal(parentSpan, activity.ParentSpanId.ToHexString());
        Assert.Equal("missing_token", activity.GetTagItem("extauthz.reason"));
        Assert.Equal("deny", activity.GetTagItem("extauthz.outcome"));
        Assert.True(activity.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Check_TraceInCallMetadata_WinsOverRequestHeaders()
    {
        var metadata = new Metadata { { "traceparent", $"00-{MetadataTrace}-b7ad6b7169203331-01" } };
        var request = Requests.Istio("GET", "/dex/auth", headers: [KeyValuePair.Create("traceparent", $"00-{HeaderTrace}-00f067aa0ba902b7-01")]);

        await _server.Client.CheckAsync(request, metadata);

        var activity = CheckActivity(MetadataTrace);
        Assert.Equal("allow", activity.GetTagItem("extauthz.outcome"));
        Assert.DoesNotContain(_stopped, a => a.Source.Name == CheckTracing.SourceName && a.TraceId.ToHexString() == HeaderTrace);
    }

    [Fact]
    public async Task Check_NoTraceContextAnywhere_IsAChildOfTheCallsOwnNewTrace()
    {
        await _server.CheckAsync("/notebook/nobody-traces-this/", method: "DELETE");

        var check = Assert.Single(_stopped, a => a.Source.Name == CheckTracing.SourceName && a.GetTagItem("http.request.method") as string == "DELETE");
        var call = Assert.Single(_stopped, a => a.Source.Name == "Microsoft.AspNetCore" && a.SpanId == check.ParentSpanId);
        Assert.Equal(default, call.ParentSpanId);
        Assert.Equal(call.TraceId, check.TraceId);
    }

    private Activity CheckActivity(string traceId) =>
        Assert.Single(_stopped, a => a.Source.Name == CheckTracing.SourceName && a.TraceId.ToHexString() == traceId);

    /// <summary>The trace-context headers are read only while a tracer listens: then both readers keep them.</summary>
    [Fact]
    public void Read_WithAListener_BothReadersKeepTraceHeaders()
    {
        var bytes = Wire.WireGoldenTests.IstioRequestBytes();
        var generated = new ExtAuthz.Core.Requests.CheckInput(ExtAuthz.Core.Requests.HeaderSlots.Default);
        ExtAuthz.Server.Grpc.CheckRequestReader.Read(Envoy.Service.Auth.V3.CheckRequest.Parser.ParseFrom(bytes), generated);
        var lean = ExtAuthz.Server.Grpc.Wire.CheckMarshallers.Read(bytes, new ExtAuthz.Server.Grpc.Wire.SlotNames(ExtAuthz.Core.Requests.HeaderSlots.Default));

        Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7", generated.GetHeader(ExtAuthz.Core.Requests.HeaderSlots.XB3TraceId));
        Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7", lean.GetHeader(ExtAuthz.Core.Requests.HeaderSlots.XB3TraceId));
    }
}
