using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Access;

/// <summary>
/// Builds one namespace's <see cref="NamespaceAccess"/> by the rule of DESIGN §3: the Profile's owner is its
/// owner (admin); each RoleBinding to a mapped ClusterRole grants that role to each of its subjects.
/// </summary>
public static class NamespaceAccessBuilder
{
    public static NamespaceAccess Build(ProfileRecord profile, IEnumerable<RoleBindingRecord> bindings, RoleMap roles)
    {
        var users = new List<KeyValuePair<string, Grant>>();
        var groups = new List<KeyValuePair<string, Grant>>();

        if (profile.Owner.MatchKey() is { } owner)
        {
            var detail = owner.IsGroup ? $"owner of profile {profile.Name} (group {owner.Id})" : $"owner of profile {profile.Name}";
            (owner.IsGroup ? groups : users).Add(new(owner.Id, new Grant(AccessRole.Owner, detail)));
        }

        // Sorted so that, between equal grants, the same binding is named every time the namespace is rebuilt.
        RoleBindingRecord[] sorted = [.. bindings.OrderBy(b => b.Name, StringComparer.Ordinal)];
        var count = 0;
        foreach (var binding in sorted)
        {
            count++;
            var role = roles.RoleOf(binding);
            if (role == AccessRole.None)
            {
                continue;
            }

            foreach (var subject in binding.Subjects)
            {
                if (subject.MatchKey() is not { } key)
                {
                    continue;
                }

                var wire = role.ToWire();
                var detail = key.IsGroup
                    ? $"RoleBinding {binding.Name} in {binding.Namespace} ({wire}, group {key.Id})"
                    : $"RoleBinding {binding.Name} in {binding.Namespace} ({wire})";
                (key.IsGroup ? groups : users).Add(new(key.Id, new Grant(role, detail)));
            }
        }

        return new NamespaceAccess(
            profile.Name,
            profile,
            GrantTable.Create(users, Stronger),
            GrantTable.Create(groups, Stronger),
            count,
            sorted);
    }

    private static Grant Stronger(Grant existing, Grant candidate) => candidate.Role > existing.Role ? candidate : existing;
}
