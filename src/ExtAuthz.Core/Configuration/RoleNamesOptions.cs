namespace ExtAuthz.Core.Configuration;

/// <summary><c>Policy:Roles</c>: which ClusterRole names grant admin, edit and view in a profile namespace.</summary>
public sealed class RoleNamesOptions
{
    public string Admin { get; set; } = "kubeflow-admin";

    public string Edit { get; set; } = "kubeflow-edit";

    public string View { get; set; } = "kubeflow-view";
}
