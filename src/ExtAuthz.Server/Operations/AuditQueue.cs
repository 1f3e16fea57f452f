using System.Threading.Channels;
using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The bounded hand-off from request threads to the one audit writer. A full queue drops the line and counts it:
/// a Check never waits for the log.
/// </summary>
internal sealed class AuditQueue
{
    private readonly Channel<AuditRecord> _channel;
    private readonly OperationsMetrics _metrics;

    public AuditQueue(AuditOptions options, OperationsMetrics metrics)
    {
        _metrics = metrics;
        _channel = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            // Wait (not DropWrite) so that TryWrite reports a full queue and the drop can be counted.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<AuditRecord> Reader => _channel.Reader;

    public void Enqueue(in AuditRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            _metrics.AuditDropped.Inc();
        }
    }

    /// <summary>No more lines: the writer drains what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
