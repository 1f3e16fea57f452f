using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The one reader of the audit queue: formats each record and writes it to <see cref="AuditOutput"/>, flushing
/// whenever the queue is empty, so a line is out within moments of its decision. It keeps running through shutdown
/// until the host has stopped (the last in-flight Checks are still logged), then drains the queue and ends.
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

    private readonly AuditQueue _queue;
    private readonly AuditOutput _output;
    private readonly OperationsMetrics _metrics;
    private readonly ILogger<AuditWriter> _logger;
    private Task? _loop;

    public AuditWriter(AuditQueue queue, AuditOutput output, OperationsMetrics metrics, IHostApplicationLifetime lifetime, ILogger<AuditWriter> logger)
    {
        _queue = queue;
        _output = output;
        _metrics = metrics;
        _logger = logger;
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
        var line = new ArrayBufferWriter<byte>(1024);
        var batch = new ArrayBufferWriter<byte>(PipeAtomicBytes);
        using var json = new Utf8JsonWriter(line, s_json);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var record))
            {
                line.ResetWrittenCount();
                json.Reset(line);
                AuditLine.Write(json, record);
                json.Flush();
                line.Write("\n"u8);

                // Batches stay within one atomic pipe write, so other writers to stdout never split a line.
                if (batch.WrittenCount + line.WrittenCount > PipeAtomicBytes)
                {
                    await WriteAsync(batch);
                }

                batch.Write(line.WrittenSpan);
                _metrics.AuditWritten.Inc();
            }

            await WriteAsync(batch);
        }
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
