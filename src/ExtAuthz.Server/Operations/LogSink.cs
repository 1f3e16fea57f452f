using System.Buffers;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The one writer of a standard stream (stdout by default) for every log line of the process: decision lines and
/// the service's own. A caller only copies its line into a queue bounded in bytes (<c>Logging:QueueBytes</c>) and
/// returns; a dedicated thread does the blocking writes. When the stream stalls (nobody reads the pipe) the queue
/// fills, and further lines are dropped and counted by kind (<c>extauthz_log_dropped_lines_total</c>): no request
/// ever waits on a log write, and a stalled stream costs at most the queue's bytes. One writer also means lines
/// from different sources never interleave.
/// </summary>
internal sealed class LogSink : IDisposable
{
    /// <summary>PIPE_BUF on Linux: writes up to this size to a pipe are never split by another writer's.</summary>
    private const int WriteBytes = 4096;

    private readonly Stream _output;
    private readonly long _capacity;
    private readonly OperationsMetrics _metrics;
    private readonly Queue<Chunk> _queue = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly Thread _thread;
    private readonly byte[] _write = new byte[WriteBytes];
    private long _queued;
    private bool _done;

    public LogSink(Stream output, long capacityBytes, OperationsMetrics metrics)
    {
        _output = output;
        _capacity = capacityBytes;
        _metrics = metrics;
        _thread = new Thread(Run) { IsBackground = true, Name = "log writer" };
        _thread.Start();
    }

    /// <summary>Bytes waiting to be written now.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Queues whole lines (each ending in '\n'); false, and the lines counted as dropped, when they do not fit.</summary>
    public bool TryWrite(ReadOnlySpan<byte> lines, string kind)
    {
        if (lines.IsEmpty)
        {
            return true;
        }

        lock (_gate)
        {
            if (_done || Interlocked.Read(ref _queued) + lines.Length > _capacity)
            {
                _metrics.LogDropped.WithLabels(kind).Inc(Math.Max(1, lines.Count((byte)'\n')));
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(lines.Length);
            lines.CopyTo(buffer);
            _queue.Enqueue(new Chunk(buffer, lines.Length));
            Interlocked.Add(ref _queued, lines.Length);
        }

        _ready.Release();
        return true;
    }

    private void Run()
    {
        while (true)
        {
            _ready.Wait();
            Chunk chunk;
            lock (_gate)
            {
                if (!_queue.TryDequeue(out chunk))
                {
                    if (_done)
                    {
                        return;
                    }

                    continue;
                }
            }

            Write(chunk);
        }
    }

    /// <summary>Gathers small chunks into one write of at most <see cref="WriteBytes"/>; a larger chunk goes alone.</summary>
    private void Write(Chunk chunk)
    {
        try
        {
            if (chunk.Length >= WriteBytes)
            {
                try
                {
                    _output.Write(chunk.Buffer, 0, chunk.Length);
                }
                finally
                {
                    Release(chunk);
                }
            }
            else
            {
                var length = Append(chunk, 0);
                while (true)
                {
                    lock (_gate)
                    {
                        if (!_queue.TryPeek(out var next) || length + next.Length > WriteBytes)
                        {
                            break;
                        }

                        _queue.Dequeue();
                        chunk = next;
                    }

                    // Each gathered chunk had its own Release: take it back so the loop does not spin on it.
                    _ready.Wait(0);
                    length = Append(chunk, length);
                }

                _output.Write(_write, 0, length);
            }

            _output.Flush();
        }
        catch (IOException)
        {
            // The stream is gone (a closed pipe): nothing can report it; later lines are dropped the same way.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private int Append(Chunk chunk, int at)
    {
        chunk.Buffer.AsSpan(0, chunk.Length).CopyTo(_write.AsSpan(at));
        Release(chunk);
        return at + chunk.Length;
    }

    private void Release(Chunk chunk)
    {
        ArrayPool<byte>.Shared.Return(chunk.Buffer);
        Interlocked.Add(ref _queued, -chunk.Length);
    }

    /// <summary>Lets the writer finish what is queued, for at most <paramref name="wait"/> (the stream may be stalled).</summary>
    public void Complete(TimeSpan wait)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
        }

        _ready.Release();
        _thread.Join(wait);
    }

    public void Dispose() => Complete(TimeSpan.FromSeconds(2));

    private readonly record struct Chunk(byte[] Buffer, int Length);
}
