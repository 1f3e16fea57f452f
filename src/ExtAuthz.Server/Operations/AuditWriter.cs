using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The one reader of the audit queue: folds repeats (<see cref="AuditFolder"/>), formats each line and writes it to
/// <see cref="AuditOutput"/>, flushing whenever the queue is empty, so a line is out within moments of its decision
/// and a folded window's count soon after the window ends. It keeps running through shutdown until the host has
/// stopped (the last in-flight Checks are still logged), then drains the queue, writes every open count and ends.
/// </summary>
internal sealed class AuditWriter : IHostedService
{
    private static readonly JsonWriterOptions s_json = new()
    {
        // Log lines, not HTML: keep '+', '<' and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>PIPE_BUF on Linux: a write up to this size to a pipe is never interleaved with another.</summary>
    private const int PipeAtomicBytes = 4096;

    /// <summary>Records read in one go past which the writer pauses for <see cref="Linger"/> before waiting again.</summary>
    private const int LingerAfter = 32;

    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(5);

    private readonly AuditQueue _queue;
    private readonly AuditOutput _output;
    private readonly OperationsMetrics _metrics;
    private readonly AuditFolder _folder;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditWriter> _logger;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ArrayBufferWriter<byte> _batch = new(PipeAtomicBytes);
    private readonly Utf8JsonWriter _json;
    private Task? _loop;

    public AuditWriter(
        AuditQueue queue, AuditOutput output, OperationsMetrics metrics, AuditOptions options, TimeProvider time,
        IHostApplicationLifetime lifetime, ILogger<AuditWriter> logger)
    {
        _queue = queue;
        _output = output;
        _metrics = metrics;
        _folder = new AuditFolder(options.RepeatWindow);
        _time = time;
        _logger = logger;
        _json = new Utf8JsonWriter(_line, s_json);
        lifetime.ApplicationStopped.Register(Finish);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Nothing to do yet: Checks may still be in flight. <see cref="Finish"/> runs once the host has stopped.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Finish()
    {
        _queue.Complete();
        _loop?.Wait(TimeSpan.FromSeconds(2));
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        Task<bool>? more = null;
        while (true)
        {
            var read = 0;
            while (_queue.TryRead(out var record))
            {
                read++;
                await WriteDueAsync(record.At, all: false);
                if (_folder.Admit(record, out var path))
                {
                    StartLine();
                    AuditLine.Write(_json, record, path);
                    await EndLineAsync();
                }
                else
                {
                    _metrics.AuditFolded.Inc();
                }
            }

            await WriteDueAsync(_time.GetUtcNow(), all: false);
            await WriteAsync(_batch);

            // Under a flood, waking for every record costs more than the record: let a few milliseconds of them gather
            // first (the queue holds them; lines are out a few milliseconds later). A trickle is written at once.
            if (read >= LingerAfter && !reader.Completion.IsCompleted)
            {
                await Task.Delay(Linger);
            }

            more ??= reader.WaitToReadAsync().AsTask();
            if (_folder.NextDue is { } due && !more.IsCompleted)
            {
                // Wake for the queue or for the end of the next window, whichever comes first.
                using var cancel = new CancellationTokenSource();
                var wait = due - _time.GetUtcNow();
                await Task.WhenAny(more, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancel.Token));
                await cancel.CancelAsync();
                if (!more.IsCompleted)
                {
                    continue;
                }
            }

            if (!await more)
            {
                break;
            }

            more = null;
        }

        await WriteDueAsync(_time.GetUtcNow(), all: true);
        await WriteAsync(_batch);
    }

    private async ValueTask WriteDueAsync(DateTimeOffset now, bool all)
    {
        while (_folder.TryTakeDue(now, all, out var repeats))
        {
            StartLine();
            AuditLine.WriteRepeats(_json, repeats);
            await EndLineAsync();
        }
    }

    private void StartLine()
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
    }

    private async ValueTask EndLineAsync()
    {
        _json.Flush();
        _line.Write("\n"u8);

        // Batches stay within one atomic pipe write, so other writers to stdout never split a line.
        if (_batch.WrittenCount + _line.WrittenCount > PipeAtomicBytes)
        {
            await WriteAsync(_batch);
        }

        _batch.Write(_line.WrittenSpan);
        _metrics.AuditWritten.Inc();
    }

    private async Task WriteAsync(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        try
        {
            await _output.Stream.WriteAsync(buffer.WrittenMemory);
            await _output.Stream.FlushAsync();
        }
        catch (IOException ex)
        {
            OperationsLog.AuditWriteFailed(_logger, ex);
        }

        buffer.ResetWrittenCount();
    }
}
