using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Who may create, share, unshare and list, as pure functions of the caller and what the index holds; each rule
/// answers null (allowed) or the refusal. Ownership is the adopted Profile's: a Profile whose Namespace never adopted
/// it is no workspace (DESIGN §3), so naming oneself owner of <c>kube-system</c> in a Profile gives nothing to share.
/// </summary>
internal sealed class SharingRules
{
    public static readonly IReadOnlyList<string> Roles = ["edit", "view", "admin"];

    private readonly SelfServiceOptions _options;
    private readonly WorkspaceNames _names;

    public SharingRules(SelfServiceOptions options)
    {
        _options = options;
        _names = new WorkspaceNames(options.ReservedNames);
    }

    public bool RegistrationOpen => _options.Registration;

    /// <summary>A new workspace <paramref name="name"/> owned by <paramref name="owner"/>.</summary>
    /// <param name="taken">A Profile or a Namespace of that name exists.</param>
    /// <param name="owned">Profiles the owner already owns.</param>
    public Outcome? Create(Caller caller, string name, string owner, bool taken, int owned)
    {
        if (!caller.IsClusterAdmin && !_options.Registration)
        {
            return Outcome.Forbidden("registration_closed", "creating workspaces is not open to users here (SelfService:Registration)");
        }

        if (owner != caller.UserId)
        {
            if (!caller.IsClusterAdmin)
            {
                return Outcome.Forbidden("owner_admin_only", "only a cluster admin may create a workspace for someone else");
            }

            if (MemberEmail.Parse(owner) != owner)
            {
                return Outcome.BadRequest("invalid_owner", "the owner must be one user's email");
            }
        }

        if (_names.Refusal(name) is { } refusal)
        {
            return refusal;
        }

        if (taken)
        {
            return Outcome.Conflict("exists", $"a namespace or Profile named {name} already exists");
        }

        return !caller.IsClusterAdmin && owned >= _options.MaxOwnedWorkspaces
            ? Outcome.Conflict("limit_reached", $"{owner} already owns {owned} workspace(s), the most allowed here (SelfService:MaxOwnedWorkspaces)")
            : null;
    }

    /// <summary>Changing a workspace's members: its adopted Profile's owner, or a cluster admin.</summary>
    public static Outcome? Manage(Caller caller, NamespaceAccess? workspace, string name)
    {
        if (caller.IsClusterAdmin)
        {
            return workspace is null ? Outcome.NotFound($"no workspace named {name}") : null;
        }

        // The same answer for a workspace that does not exist and one the caller does not own.
        return workspace is not null && IsOwner(workspace, caller.UserId)
            ? null
            : Outcome.Forbidden("not_owner", $"only the owner of workspace {name} or a cluster admin may change its members");
    }

    /// <summary>The member of a share or unshare: one User, a well-formed email other than the owner's, an allowed role.</summary>
    public static Outcome? Member(Caller caller, NamespaceAccess workspace, string? kind, string? email, string role, out string parsed)
    {
        parsed = string.Empty;
        if (kind is not null && kind != SubjectRecord.User)
        {
            return Outcome.BadRequest("subject_kind", "a member must be one User: groups and service accounts are never granted here");
        }

        if (!Roles.Contains(role))
        {
            return Outcome.BadRequest("invalid_role", "the role must be edit or view");
        }

        if (role == "admin" && !caller.IsClusterAdmin)
        {
            return Outcome.Forbidden("admin_role_admin_only", "only a cluster admin may grant or remove the admin role");
        }

        if (MemberEmail.Parse(email) is not { } address)
        {
            return Outcome.BadRequest("invalid_member", "the member must be one well-formed email address");
        }

        parsed = address;
        return IsOwner(workspace, address)
            ? Outcome.Forbidden("owner_binding", "the owner's own access is the Profile's and cannot be shared or removed")
            : null;
    }

    /// <summary>Listing one workspace's members: its owner, its members and cluster admins.</summary>
    public static Outcome? Read(Caller caller, NamespaceAccess? workspace, string name)
    {
        if (caller.IsClusterAdmin)
        {
            return workspace is null ? Outcome.NotFound($"no workspace named {name}") : null;
        }

        return workspace is not null && WorkspaceView.IsMember(workspace, caller.UserId)
            ? null
            : Outcome.Forbidden("not_member", $"only members of workspace {name} and cluster admins may list its members");
    }

    /// <summary>Listing every workspace: cluster admins only.</summary>
    public static Outcome? ReadAll(Caller caller) =>
        caller.IsClusterAdmin ? null : Outcome.Forbidden("admin_only", "only cluster admins may list every workspace");

    /// <summary>Deleting a workspace: a cluster admin, or its owner when <c>SelfService:NukeSelf</c> is on.</summary>
    public Outcome? Delete(Caller caller, NamespaceAccess? workspace, string name, bool taken)
    {
        if (caller.IsClusterAdmin)
        {
            return taken ? null : Outcome.NotFound($"no Profile named {name}");
        }

        if (!_options.NukeSelf)
        {
            return Outcome.Forbidden("delete_admin_only", "only cluster admins may delete workspaces here (SelfService:NukeSelf)");
        }

        return Manage(caller, workspace, name);
    }

    public static bool IsOwner(NamespaceAccess workspace, string user) =>
        workspace.Profile.Owner is { Kind: SubjectRecord.User } owner && string.Equals(owner.Name, user, StringComparison.Ordinal);
}
