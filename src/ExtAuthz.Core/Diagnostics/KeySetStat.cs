namespace ExtAuthz.Core.Diagnostics;

/// <summary>One issuer's key-set fetches so far (started, and failed), and when its current key set was fetched (null: never).</summary>
public readonly record struct KeySetStat(string Issuer, long FetchesStarted, long FetchesFailed, DateTimeOffset? FetchedAt);
