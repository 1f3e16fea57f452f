using System.Collections.Concurrent;

namespace ExtAuthz.Controller.Queue;

/// <summary>
/// Per-key exponential backoff: the n-th consecutive failure of a key waits min(max, initial·2ⁿ), so a Profile the
/// cloud keeps refusing is retried ever more slowly (and never hammers the API) while other Profiles are unaffected.
/// </summary>
internal sealed class KeyBackoff
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;

    public KeyBackoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
    }

    public TimeSpan Next(string key)
    {
        var failures = _failures.AddOrUpdate(key, 1, (_, n) => n + 1);
        var exponent = Math.Min(failures - 1, 30);
        return TimeSpan.FromTicks(Math.Min(_max.Ticks, _initial.Ticks * (1L << exponent)));
    }

    public int Failures(string key) => _failures.TryGetValue(key, out var n) ? n : 0;

    public void Reset(string key) => _failures.TryRemove(key, out _);
}
