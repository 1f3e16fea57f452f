namespace ExtAuthz.Core.Identity;

/// <summary>Where an issuer's key set stands, as <c>/readyz</c> reports it.</summary>
internal enum KeySetState
{
    /// <summary>No fetch has finished yet.</summary>
    Loading,

    /// <summary>The last fetch succeeded.</summary>
    Loaded,

    /// <summary>The last fetch failed; the last good key set is still in use.</summary>
    Stale,

    /// <summary>No fetch has ever succeeded: every token of this issuer is refused.</summary>
    Unavailable,

    /// <summary>Keys that never change (the development issuer).</summary>
    Static,
}
