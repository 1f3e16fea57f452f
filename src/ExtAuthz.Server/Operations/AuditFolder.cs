using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// Folds repeated identical decision lines (<c>Audit:RepeatWindow</c>), on the writer thread. The first decision of
/// its kind is written in full at once; identical ones in the next window only bump a count; when the window ends one
/// more line says how many there were. A flood of the same deny (a client retrying with an expired token, a scanner
/// on one path) becomes two lines a window instead of tens of thousands, and every deny is still accounted for: its
/// own line or a count. Distinct decisions are never folded together. At most <see cref="MaxOpen"/> kinds are tracked at
/// once; past that a decision is simply written in full.
/// </summary>
internal sealed class AuditFolder
{
    public const int MaxOpen = 4096;

    private readonly TimeSpan _window;
    private readonly Dictionary<Key, Repeats> _open = [];

    // Every window has the same length, so windows end in the order they opened: the head is always the next due.
    private readonly Queue<Repeats> _byEnd = new();

    public AuditFolder(TimeSpan window) => _window = window;

    /// <summary>When the earliest open window ends; null when none is open.</summary>
    public DateTimeOffset? NextDue => _byEnd.TryPeek(out var head) ? head.End : null;

    /// <summary>
    /// True when <paramref name="record"/> gets a line of its own now, with its target as shown in <paramref name="path"/>;
    /// false when it was counted into an open window (nothing is built for it then).
    /// </summary>
    public bool Admit(in AuditRecord record, out string path)
    {
        if (_window <= TimeSpan.Zero)
        {
            path = AuditTarget.Shown(record.Target);
            return true;
        }

        var key = Key.Of(record);
        if (_open.TryGetValue(key, out var open) && record.At < open.End)
        {
            open.Add(record);
            path = "";
            return false;
        }

        // Either new, or its window has ended but was not taken yet (the end passed between two reads): written in full.
        path = AuditTarget.Shown(record.Target);
        if (open is null && _open.Count < MaxOpen)
        {
            var repeats = new Repeats(key, record, path, record.At + _window);
            _open.Add(key, repeats);
            _byEnd.Enqueue(repeats);
        }

        return true;
    }

    /// <summary>Takes the next window that has ended by <paramref name="now"/> with repeats to report (or every open one when <paramref name="all"/>).</summary>
    public bool TryTakeDue(DateTimeOffset now, bool all, out Repeats repeats)
    {
        while (_byEnd.TryPeek(out var head) && (all || head.End <= now))
        {
            _byEnd.Dequeue();
            _open.Remove(head.Key);
            if (head.Count > 0)
            {
                repeats = head;
                return true;
            }
        }

        repeats = null!;
        return false;
    }

    /// <summary>
    /// What makes two decision lines identical: every field the line shows except time and latency. The target is kept
    /// raw and compared as shown (<see cref="AuditTarget.SameShown"/>), so a repeat builds no string.
    /// </summary>
    public readonly record struct Key(
        bool Allowed, bool DryRun, int Status, ReasonCode Reason, AccessRole Role,
        string? Detail, string? User, string? Namespace, string? Issuer, string Method, string Target)
    {
        public static Key Of(in AuditRecord record)
        {
            var decision = record.Decision;
            return new Key(decision.Allowed, decision.DryRun, decision.HttpStatus, decision.Reason, decision.Role,
                decision.Detail, decision.Principal?.UserId, decision.Namespace, decision.Issuer, record.Method, record.Target);
        }

        public bool Equals(Key other) =>
            Allowed == other.Allowed && DryRun == other.DryRun && Status == other.Status && Reason == other.Reason &&
            Role == other.Role && Detail == other.Detail && User == other.User && Namespace == other.Namespace &&
            Issuer == other.Issuer && Method == other.Method && AuditTarget.SameShown(Target, other.Target);

        public override int GetHashCode() =>
            HashCode.Combine(HashCode.Combine(Allowed, DryRun, Status, Reason, Role),
                Detail, User, Namespace, Issuer, Method, AuditTarget.HashShown(Target));
    }

    /// <summary>One open window: the decision that opened it, and what came after it that was identical.</summary>
    public sealed class Repeats
    {
        public Repeats(Key key, in AuditRecord first, string path, DateTimeOffset end)
        {
            Key = key;
            First = first;
            Path = path;
            End = end;
        }

        public Key Key { get; }

        public AuditRecord First { get; }

        public string Path { get; }

        public DateTimeOffset End { get; }

        /// <summary>Identical decisions after the first, within the window.</summary>
        public long Count { get; private set; }

        public DateTimeOffset Last { get; private set; }

        public TimeSpan MaxLatency { get; private set; }

        public void Add(in AuditRecord record)
        {
            Count++;
            Last = record.At > Last ? record.At : Last;
            MaxLatency = record.Latency > MaxLatency ? record.Latency : MaxLatency;
        }
    }
}
