using ExtAuthz.Core.Access;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Core.Tests.Access;

/// <summary>Small factories for index inputs and callers.</summary>
internal static class Objects
{
    public static ProfileRecord Profile(string name, string owner, bool dryRun = false) =>
        new(name, new SubjectRecord(SubjectRecord.User, owner), dryRun);

    /// <summary>The Namespaces the profile controller would have made for <paramref name="profiles"/>: each adopts its Profile.</summary>
    public static NamespaceRecord[] Adopting(params ProfileRecord[] profiles) => [.. profiles.Select(p => new NamespaceRecord(p.Name, p.Owner.Name))];

    public static RoleBindingRecord Binding(string ns, string name, string clusterRole, params SubjectRecord[] subjects) =>
        new(ns, name, RoleBindingRecord.ClusterRoleKind, clusterRole, subjects);

    public static SubjectRecord User(string name) => new(SubjectRecord.User, name);

    public static SubjectRecord Group(string name) => new(SubjectRecord.Group, name);

    public static SubjectRecord ServiceAccount(string ns, string name) => new(SubjectRecord.ServiceAccount, name, ns);

    public static Principal Caller(string user, params string[] groups) =>
        new("https://dex.example.com", user, user, groups, DateTimeOffset.UtcNow.AddHours(1));
}
