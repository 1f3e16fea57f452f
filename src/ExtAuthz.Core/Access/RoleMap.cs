using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Access;

/// <summary>
/// Which ClusterRoles grant what (<c>Policy:Roles</c>, default kubeflow-admin / -edit / -view). A RoleBinding to
/// any other ClusterRole, or to a namespaced Role of any name, grants nothing.
/// </summary>
public sealed class RoleMap
{
    public RoleMap(string admin = "kubeflow-admin", string edit = "kubeflow-edit", string view = "kubeflow-view")
    {
        Admin = admin;
        Edit = edit;
        View = view;
    }

    public static RoleMap Default { get; } = new();

    public string Admin { get; }

    public string Edit { get; }

    public string View { get; }

    public AccessRole RoleOf(RoleBindingRecord binding)
    {
        if (binding.RoleRefKind != RoleBindingRecord.ClusterRoleKind)
        {
            return AccessRole.None;
        }

        var name = binding.RoleRefName;
        return name == Admin ? AccessRole.Admin
            : name == Edit ? AccessRole.Edit
            : name == View ? AccessRole.View
            : AccessRole.None;
    }
}
