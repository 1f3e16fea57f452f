using ExtAuthz.Core.Access;

namespace ExtAuthz.Kubernetes.Directory;

/// <summary>What one read of the folder found: the objects, and every problem (a read with problems is not applied).</summary>
internal sealed record DirectoryContents(
    IReadOnlyList<ProfileRecord> Profiles,
    IReadOnlyList<RoleBindingRecord> RoleBindings,
    IReadOnlyList<NamespaceRecord> Namespaces,
    int Files,
    int IgnoredObjects,
    IReadOnlyList<string> Errors)
{
    public bool IsGood => Errors.Count == 0;
}
