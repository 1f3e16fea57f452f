using System.Text;
using System.Text.Json;
using ExtAuthz.Server.Operations;
using ExtAuthz.Server.Tests.Operations.Support;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>The shared log writer: a stalled stream never makes a caller wait, and costs at most the queue's bytes.</summary>
public sealed class LogSinkTests
{
    [Fact]
    public void TryWrite_StreamStalled_ReturnsAtOnceAndDropsPastTheBound()
    {
        var metrics = new OperationsMetrics();
        using var stalled = new StalledStream();
        var sink = new LogSink(stalled, 64 * 1024, metrics);
        var line = Encoding.UTF8.GetBytes(new string('x', 1023) + "\n");

        // Sequential: if one call waited on the stalled stream, this test would hang rather than pass.
        var kept = Enumerable.Range(0, 1000).Count(_ => sink.TryWrite(line, "app"));
        var queued = sink.Queued;
        stalled.Release();
        sink.Complete(TimeSpan.FromSeconds(30));

        Assert.InRange(kept, 1, 70);
        Assert.True(queued <= 64 * 1024, $"{queued} bytes queued");
        Assert.Equal(1000 - kept, metrics.LogDropped.WithLabels("app").Value);
        Assert.Equal(kept * line.Length, stalled.Written);
    }

    [Fact]
    public void Log_JsonFormat_OneObjectALineWithoutUserInfo()
    {
        var output = new CapturedOutput();
        var sink = new LogSink(output, 1 << 20, new OperationsMetrics());
        var logger = new SinkLoggerProvider(sink, new LogSettings(Json: true, 1 << 20), TimeProvider.System).CreateLogger("Test.Category");

        logger.LogWarning(new EventId(42), new InvalidOperationException("bad\nthing"), "fetch of {Url} failed", "https://u:s3cret@idp.example/keys");
        sink.Complete(TimeSpan.FromSeconds(30));

        var line = Assert.Single(output.Lines);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("app", json.GetProperty("log").GetString());
        Assert.Equal("warning", json.GetProperty("level").GetString());
        Assert.Equal("Test.Category", json.GetProperty("category").GetString());
        Assert.Equal(42, json.GetProperty("event").GetInt32());
        Assert.Equal("fetch of https://***@idp.example/keys failed", json.GetProperty("message").GetString());
        Assert.Contains("bad\nthing", json.GetProperty("exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_TextFormat_OneLineEvenWithAnException()
    {
        var output = new CapturedOutput();
        var sink = new LogSink(output, 1 << 20, new OperationsMetrics());
        var logger = new SinkLoggerProvider(sink, new LogSettings(Json: false, 1 << 20), TimeProvider.System).CreateLogger("Test.Category");

        logger.LogError(new EventId(7), new InvalidOperationException("first\nsecond"), "it {What}", "broke");
        sink.Complete(TimeSpan.FromSeconds(30));

        var line = Assert.Single(output.Lines);
        Assert.Contains(" error Test.Category[7] it broke | System.InvalidOperationException: first | second", line, StringComparison.Ordinal);
    }

    /// <summary>A stream whose writes wait until released: standard output that nobody reads.</summary>
    private sealed class StalledStream : Stream
    {
        private readonly ManualResetEventSlim _open = new();

        public long Written { get; private set; }

        public void Release() => _open.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _open.Wait();
            Written += count;
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _open.Dispose();
            base.Dispose(disposing);
        }
    }
}
