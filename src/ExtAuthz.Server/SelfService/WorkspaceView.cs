using ExtAuthz.Core.Access;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Workspaces and their members, read from the current index snapshot: the same objects a Check decides on. Only
/// adopted Profiles are workspaces. A member is the Profile's owner, or the one User subject of a RoleBinding to the
/// admin / edit / view ClusterRole (<c>Policy:Roles</c>); the role comes from the <c>roleRef</c>, never from an
/// annotation, and a binding with several subjects, or a Group or ServiceAccount subject, is not listed as a member.
/// </summary>
internal sealed class WorkspaceView
{
    private readonly AccessIndex _index;

    public WorkspaceView(AccessIndex index) => _index = index;

    public NamespaceAccess? Find(string name) => _index.Current?.Find(name);

    /// <summary>Every workspace, in name order.</summary>
    public IEnumerable<NamespaceAccess> All() =>
        (_index.Current?.All ?? []).OrderBy(n => n.Name, StringComparer.Ordinal);

    /// <summary>The owner first, then members by role and user; one entry per user and role.</summary>
    public IReadOnlyList<Member> MembersOf(NamespaceAccess workspace)
    {
        var members = new List<Member>();
        var owner = workspace.Profile.Owner;
        if (owner.Kind == SubjectRecord.User && owner.Name.Length > 0)
        {
            members.Add(new Member(workspace.Name, owner.Name, "admin", null));
        }

        foreach (var binding in workspace.Bindings)
        {
            var role = ShortName(_index.Roles.RoleOf(binding));
            if (role is null || binding.Subjects is not [{ Kind: SubjectRecord.User } subject] || subject.Name.Length == 0)
            {
                continue;
            }

            if (!members.Exists(m => m.User == subject.Name && m.Role == role))
            {
                members.Add(new Member(workspace.Name, subject.Name, role, binding.Name));
            }
        }

        return [.. members.OrderBy(m => m.BindingName is null ? 0 : 1).ThenBy(m => m.Role, StringComparer.Ordinal).ThenBy(m => m.User, StringComparer.Ordinal)];
    }

    /// <summary>Whether this user holds any grant in the workspace by their own id (owner or a binding).</summary>
    public static bool IsMember(NamespaceAccess workspace, string user) =>
        workspace.Users.Find(user) is not null;

    public static string? ShortName(AccessRole role) => role switch
    {
        AccessRole.Admin => "admin",
        AccessRole.Edit => "edit",
        AccessRole.View => "view",
        _ => null,
    };
}
