using System.Text;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>A write-only stream that keeps what the audit writer wrote, readable from the test thread.</summary>
internal sealed class CapturedOutput : Stream
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _bytes = new();

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
            }
        }
    }

    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Waits (generously) until the log holds a line that satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no such line in the decision log:\n{Text}");
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            _bytes.Write(buffer, offset, count);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            _bytes.Write(buffer);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
