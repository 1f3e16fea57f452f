namespace ExtAuthz.Server.Operations;

/// <summary>
/// A write-only stream over a <see cref="LogSink"/>, for writers that produce whole lines (the decision log): a
/// write never blocks; lines that do not fit are dropped and counted under <paramref name="kind"/>.
/// </summary>
internal sealed class SinkStream(LogSink sink, string kind) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => sink.TryWrite(buffer.AsSpan(offset, count), kind);

    public override void Write(ReadOnlySpan<byte> buffer) => sink.TryWrite(buffer, kind);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        sink.TryWrite(buffer.Span, kind);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        sink.TryWrite(buffer.AsSpan(offset, count), kind);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
