using ExtAuthz.Core.Identity;

namespace ExtAuthz.Core.Access;

/// <summary>
/// Who may do what in one profile namespace: the owner and every RoleBinding grant, keyed by user id and by group.
/// Immutable; a change to the Profile or to one of its bindings replaces the whole object, and only it.
/// </summary>
public sealed class NamespaceAccess
{
    public NamespaceAccess(string name, ProfileRecord profile, GrantTable users, GrantTable groups, int bindingCount,
        IReadOnlyList<RoleBindingRecord>? bindings = null)
    {
        Name = name;
        Profile = profile;
        Users = users;
        Groups = groups;
        BindingCount = bindingCount;
        Bindings = bindings ?? [];
    }

    public string Name { get; }

    public ProfileRecord Profile { get; }

    /// <summary>The Profile asks for dry-run: decisions here are recorded but answered allow.</summary>
    public bool DryRun => Profile.DryRun;

    public GrantTable Users { get; }

    public GrantTable Groups { get; }

    public int BindingCount { get; }

    /// <summary>Every RoleBinding of the namespace, in name order: for listing members, never read by a decision.</summary>
    public IReadOnlyList<RoleBindingRecord> Bindings { get; }

    /// <summary>The strongest grant for this principal, by user id or any of its groups; null when there is none.</summary>
    public Grant? Find(Principal principal)
    {
        var best = Users.Find(principal.UserId);
        if (Groups.IsEmpty)
        {
            return best;
        }

        var groups = principal.Groups;
        for (var i = 0; i < groups.Count; i++)
        {
            var grant = Groups.Find(groups[i]);
            if (grant is not null && (best is null || grant.Role > best.Role))
            {
                best = grant;
            }
        }

        return best;
    }

    /// <summary>
    /// For the explanation of a deny only: a granted user id or group that differs from the principal's only in letter
    /// case, as "a grant exists for …"; null when there is none. Allocates only when it finds one.
    /// </summary>
    public string? ExplainCaseVariant(Principal principal)
    {
        if (Users.FindCaseVariant(principal.UserId) is { } user)
        {
            return $"a grant exists for {user}, which differs only in case";
        }

        var groups = principal.Groups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (Groups.FindCaseVariant(groups[i]) is { } group)
            {
                return $"a grant exists for group {group}, which differs only in case";
            }
        }

        return null;
    }
}
