namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the issuers' key sets report on <c>/metrics</c>, one entry per issuer whose keys are fetched.</summary>
public interface IKeySetStats
{
    IReadOnlyList<KeySetStat> KeySets { get; }
}

/// <summary>One issuer's key-set fetches so far (started, and failed), and when its current key set was fetched (null: never).</summary>
public readonly record struct KeySetStat(string Issuer, long FetchesStarted, long FetchesFailed, DateTimeOffset? FetchedAt);
