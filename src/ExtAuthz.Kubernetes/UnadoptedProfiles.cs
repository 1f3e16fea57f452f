using ExtAuthz.Core.Access;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Kubernetes;

/// <summary>
/// The Profiles their Namespace did not adopt, as both sources show them on <c>/readyz</c>: the count and, for the
/// first few in name order, the reason. Anyone allowed to create Profiles can create many, so the list is capped.
/// </summary>
internal static class UnadoptedProfiles
{
    public const int Shown = 20;

    public static object? Describe(AccessSnapshot? snapshot) => snapshot is null
        ? null
        : new
        {
            count = snapshot.UnadoptedCount,
            first = snapshot.Unadopted.Take(Shown).Select(u => u.Value).ToArray(),
        };

    /// <summary>Logs the unadopted Profiles when their number changed since <paramref name="logged"/>; returns the number now.</summary>
    public static int LogIfChanged(ILogger logger, AccessSnapshot snapshot, int logged)
    {
        if (snapshot.UnadoptedCount != logged && snapshot.UnadoptedCount > 0)
        {
            IndexSourceLog.Unadopted(logger, snapshot.UnadoptedCount, snapshot.Unadopted.First().Value);
        }

        return snapshot.UnadoptedCount;
    }
}
