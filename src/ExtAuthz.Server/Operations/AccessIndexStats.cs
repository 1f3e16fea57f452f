using ExtAuthz.Core.Access;
using ExtAuthz.Core.Diagnostics;

namespace ExtAuthz.Server.Operations;

/// <summary>The index series, read from the current snapshot of the access index at scrape time.</summary>
internal sealed class AccessIndexStats : IIndexStats
{
    private readonly AccessIndex _index;

    public AccessIndexStats(AccessIndex index) => _index = index;

    public int Profiles => _index.Current?.ProfileCount ?? 0;

    public int RoleBindings => _index.Current?.RoleBindingCount ?? 0;

    public int UnadoptedProfiles => _index.Current?.UnadoptedCount ?? 0;

    public DateTimeOffset? UpdatedAt => _index.Current?.UpdatedAt;
}
