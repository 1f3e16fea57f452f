using ExtAuthz.Core.Access;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>
/// Deserialised Profiles and RoleBindings for the index benchmarks, the same ring as the load run's cluster:
/// profile <c>ns-NNNNN</c> owned by <c>userNNNNN@example.com</c>; bindings make the next users of the ring
/// contributors (edit, then view, alternating), each binding with one User subject and the kfam annotations; every
/// profile's Namespace carries the owner annotation that adopts it.
/// </summary>
internal static class SyntheticCluster
{
    public static string Namespace(int i) => $"ns-{i:D5}";

    public static string User(int i) => $"user{i:D5}@example.com";

    public static ProfileRecord[] Profiles(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new ProfileRecord(Namespace(i), new SubjectRecord(SubjectRecord.User, User(i))))];

    public static NamespaceRecord[] Namespaces(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new NamespaceRecord(Namespace(i), User(i)))];

    public static RoleBindingRecord[] Bindings(int profiles, int count)
    {
        var perProfile = Math.Max(1, (count + profiles - 1) / profiles);
        var bindings = new List<RoleBindingRecord>(count);
        for (var i = 1; i <= profiles && bindings.Count < count; i++)
        {
            for (var k = 1; k <= perProfile && bindings.Count < count; k++)
            {
                bindings.Add(Binding(i, ((i - 1 + k) % profiles) + 1, k % 2 == 1 ? "edit" : "view"));
            }
        }

        return [.. bindings];
    }

    public static RoleBindingRecord Binding(int profile, int user, string role) => new(
        Namespace(profile),
        $"user-{User(user).Replace('@', '-').Replace('.', '-')}-clusterrole-{role}",
        RoleBindingRecord.ClusterRoleKind,
        $"kubeflow-{role}",
        [new SubjectRecord(SubjectRecord.User, User(user))],
        User(user),
        role);
}
