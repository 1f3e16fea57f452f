namespace ExtAuthz.Kubernetes.Informers;

/// <summary>
/// Exponential backoff with "equal jitter": the n-th consecutive failure waits between half and all of
/// min(max, initial·2ⁿ), so replicas that lost the API server together do not come back in step.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;

    public Backoff(TimeSpan initial, TimeSpan max, Random random)
    {
        _initial = initial;
        _max = max;
        _random = random;
    }

    /// <summary>Consecutive failures since the last success.</summary>
    public int Failures { get; private set; }

    public TimeSpan Next()
    {
        var exponent = Math.Min(Failures, 30);
        Failures++;
        var ceiling = Math.Min(_max.Ticks, _initial.Ticks * (1L << exponent));
        var half = ceiling / 2;
        return TimeSpan.FromTicks(half + (long)(_random.NextDouble() * (ceiling - half)));
    }

    public void Reset() => Failures = 0;
}
