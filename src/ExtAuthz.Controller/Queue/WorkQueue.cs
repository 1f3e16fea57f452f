using System.Threading.Channels;

namespace ExtAuthz.Controller.Queue;

/// <summary>
/// A queue of Profile names with the guarantees a controller needs: a name waiting once is queued once however many
/// events name it (dedup); a name being reconciled is never handed to a second worker, and an event that arrives
/// meanwhile queues it again when the first finishes (per-key serialisation); failed names come back after a per-key
/// exponential delay (<see cref="KeyBackoff"/>) measured on the injected clock.
/// </summary>
internal sealed class WorkQueue
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly KeyBackoff _backoff;
    private readonly TimeProvider _time;

    public WorkQueue(KeyBackoff backoff, TimeProvider time)
    {
        _backoff = backoff;
        _time = time;
    }

    /// <summary>Names queued and not yet taken.</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_gate)
        {
            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }

            if (_waiting.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> after its next backoff delay; returns the delay.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        var delay = _backoff.Next(key);
        AddAfter(key, delay);
        return delay;
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            Add(key);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Forgets the failures of <paramref name="key"/> after a success.</summary>
    public void Forget(string key) => _backoff.Reset(key);

    /// <summary>Failures of <paramref name="key"/> since its last success.</summary>
    public int Failures(string key) => _backoff.Failures(key);

    /// <summary>Takes the next name; the caller must call <see cref="Done"/> with it.</summary>
    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(cancellationToken);
            lock (_gate)
            {
                if (!_waiting.Remove(key))
                {
                    continue;
                }

                _processing.Add(key);
                return key;
            }
        }
    }

    public void Done(string key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Remove(key) && _waiting.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }
}
