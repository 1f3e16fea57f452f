namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the issuers' key sets report on <c>/metrics</c>, one entry per issuer whose keys are fetched.</summary>
public interface IKeySetStats
{
    IReadOnlyList<KeySetStat> KeySets { get; }
}
