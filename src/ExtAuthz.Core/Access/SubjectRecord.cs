namespace ExtAuthz.Core.Access;

/// <summary>An <c>rbac/v1 Subject</c> as read from a Profile owner or a RoleBinding.</summary>
/// <param name="Kind"><c>User</c>, <c>Group</c> or <c>ServiceAccount</c>; any other kind is granted nothing.</param>
/// <param name="Name">The user id, group name or ServiceAccount name.</param>
/// <param name="Namespace">The ServiceAccount's namespace; unused for users and groups.</param>
public sealed record SubjectRecord(string Kind, string Name, string? Namespace = null)
{
    public const string User = "User";
    public const string Group = "Group";
    public const string ServiceAccount = "ServiceAccount";

    /// <summary>The id this subject matches, and whether that id is a group; null when it can match nobody.</summary>
    public (string Id, bool IsGroup)? MatchKey() => Kind switch
    {
        User when Name.Length > 0 => (Name, false),
        Group when Name.Length > 0 => (Name, true),

        // Kubernetes authenticates a ServiceAccount token as this user name.
        ServiceAccount when Name.Length > 0 && !string.IsNullOrEmpty(Namespace) => ($"system:serviceaccount:{Namespace}:{Name}", false),
        _ => null,
    };

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
