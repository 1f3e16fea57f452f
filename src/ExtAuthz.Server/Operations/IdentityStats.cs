using ExtAuthz.Core.Diagnostics;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The identity series, read at scrape time from what identity keeps anyway: the token cache's size and each
/// issuer's key-set status, and the cache's hit and miss counts.
/// </summary>
internal sealed class IdentityStats
{
    private readonly IdentityRuntime _runtime;

    public IdentityStats(IdentityRuntime runtime) => _runtime = runtime;

    public int Count => _runtime.Authenticator.Cache.Count;

    public long? Hits => _runtime.Authenticator.Cache.Hits;

    public long? Misses => _runtime.Authenticator.Cache.Misses;

    public IReadOnlyList<KeySetStat> KeySets =>
        [.. _runtime.Keys.Where(k => !k.IsStatic).Select(k => k.Status()).Select(s => new KeySetStat(s.Issuer, s.Fetches, s.Failures, s.LastSuccess))];
}
