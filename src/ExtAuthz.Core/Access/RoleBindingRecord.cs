namespace ExtAuthz.Core.Access;

/// <summary>
/// What the index keeps of an <c>rbac.authorization.k8s.io/v1</c> RoleBinding. The kfam annotations
/// (<c>user</c>, <c>role</c>) are kept for the reason text only: they never grant anything.
/// </summary>
public sealed record RoleBindingRecord(
    string Namespace,
    string Name,
    string RoleRefKind,
    string RoleRefName,
    IReadOnlyList<SubjectRecord> Subjects,
    string? AnnotatedUser = null,
    string? AnnotatedRole = null)
{
    public const string ClusterRoleKind = "ClusterRole";
}
