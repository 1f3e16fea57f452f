using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// One ops-port connection whose transport notes when bytes last moved (a read that returned, a flush), so the
/// sweep of <see cref="OpsConnections"/> can tell an idle socket from a working one.
/// </summary>
internal sealed class OpsConnection
{
    private readonly ConnectionContext _connection;
    private readonly TimeProvider _time;
    private long _last;
    private int _closed;

    public OpsConnection(ConnectionContext connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        _last = time.GetTimestamp();
        var transport = connection.Transport;
        connection.Transport = new Pipe(new Reader(transport.Input, this), new Writer(transport.Output, this));
    }

    public TimeSpan IdleFor() => _time.GetElapsedTime(Volatile.Read(ref _last));

    /// <returns>True the first time only.</returns>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        _connection.Abort(new ConnectionAbortedException("ops port: idle"));
        return true;
    }

    private void Touch() => Volatile.Write(ref _last, _time.GetTimestamp());

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    private sealed class Reader(PipeReader inner, OpsConnection owner) : PipeReader
    {
        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            owner.Touch();
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            var read = inner.TryRead(out result);
            if (read)
            {
                owner.Touch();
            }

            return read;
        }
    }

    private sealed class Writer(PipeWriter inner, OpsConnection owner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            owner.Touch();
            return inner.FlushAsync(cancellationToken);
        }
    }
}
