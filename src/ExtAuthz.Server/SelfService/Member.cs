namespace ExtAuthz.Server.SelfService;

/// <summary>
/// One member of a workspace as the API lists it: the user, the short role (<c>admin</c> for the owner, <c>edit</c>,
/// <c>view</c>) and the RoleBinding that grants it (null for the Profile's owner).
/// </summary>
internal sealed record Member(string Namespace, string User, string Role, string? BindingName)
{
    /// <summary>The central dashboard's name for the role (api_workgroup.ts roleMap): owner, contributor, viewer.</summary>
    public string DashboardRole => Role switch
    {
        "admin" => "owner",
        "edit" => "contributor",
        _ => "viewer",
    };
}
