using System.Threading.Channels;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The bounded hand-off from request threads to the one audit writer, bounded in records
/// (<c>Audit:QueueCapacity</c>) and in bytes (<c>Audit:QueueBytes</c>). A record is cut when queued, to what its line
/// can show (the target at <see cref="AuditTarget.MaxChars"/>, detail and namespace at <see cref="MaxValueChars"/>,
/// no redirect location), so a queued record never holds a caller's huge path alive; a full queue drops the record and
/// counts it. A Check never waits for the log; an ordinary record is queued without an allocation.
/// </summary>
internal sealed class AuditQueue
{
    /// <summary>Longest detail or namespace a queued record keeps.</summary>
    public const int MaxValueChars = 512;

    /// <summary>What a record costs besides its strings: the struct, the channel slot, the line's fixed fields.</summary>
    private const int RecordOverhead = 160;

    private readonly Channel<AuditRecord> _channel;
    private readonly OperationsMetrics _metrics;
    private readonly long _maxBytes;
    private long _bytes;

    public AuditQueue(AuditOptions options, OperationsMetrics metrics)
    {
        _metrics = metrics;
        _maxBytes = options.QueueBytes;
        _channel = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            // Wait (not DropWrite) so that TryWrite reports a full queue and the drop can be counted.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<AuditRecord> Reader => _channel.Reader;

    /// <summary>Bytes the queued records hold now (an upper bound: some strings are shared with caches).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public void Enqueue(in AuditRecord record)
    {
        var kept = Cut(record);
        var size = SizeOf(kept);
        if (Interlocked.Add(ref _bytes, size) > _maxBytes)
        {
            Interlocked.Add(ref _bytes, -size);
            _metrics.AuditDropped.Inc();
            return;
        }

        if (!_channel.Writer.TryWrite(kept))
        {
            Interlocked.Add(ref _bytes, -size);
            _metrics.AuditDropped.Inc();
        }
    }

    /// <summary>The writer's read: takes the next record and gives its bytes back.</summary>
    public bool TryRead(out AuditRecord record)
    {
        if (!_channel.Reader.TryRead(out record))
        {
            return false;
        }

        Interlocked.Add(ref _bytes, -SizeOf(record));
        return true;
    }

    /// <summary>No more lines: the writer drains what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private AuditRecord Cut(in AuditRecord record)
    {
        var decision = record.Decision;
        var cut = record.Target.Length > AuditTarget.MaxChars || !Fits(record.Method) || !Fits(decision.Detail) || !Fits(decision.Namespace);
        if (!cut)
        {
            // The redirect location repeats the target (as rd=) and no line shows it: dropped by a struct copy.
            return decision.RedirectLocation is null ? record : record with { Decision = decision with { RedirectLocation = null } };
        }

        _metrics.AuditTruncated.Inc();
        var kept = decision with
        {
            RedirectLocation = null,
            Detail = Fits(decision.Detail) ? decision.Detail : decision.Detail![..MaxValueChars],
            Namespace = Fits(decision.Namespace) ? decision.Namespace : decision.Namespace![..MaxValueChars],
        };
        var target = record.Target.Length <= AuditTarget.MaxChars ? record.Target : record.Target[..AuditTarget.MaxChars];
        var method = Fits(record.Method) ? record.Method : record.Method[..MaxValueChars];
        return record with { Decision = kept, Target = target, Method = method };
    }

    private static bool Fits(string? value) => value is null || value.Length <= MaxValueChars;

    private static long SizeOf(in AuditRecord record)
    {
        var decision = record.Decision;
        var chars = record.Target.Length + record.Method.Length + (decision.Detail?.Length ?? 0) + (decision.Namespace?.Length ?? 0)
            + (decision.Principal?.UserId.Length ?? 0);
        return RecordOverhead + (2L * chars);
    }
}
