namespace ExtAuthz.Core.Access;

/// <summary>
/// The profile controller's adoption rule (DESIGN §3): a Profile owns its namespace only while the Namespace exists and
/// its <c>owner</c> annotation equals <c>spec.owner.name</c> byte for byte. Anyone may create a Profile with any name
/// and owner; only the Namespace says whose it is.
/// </summary>
public static class ProfileAdoption
{
    /// <summary>Null when <paramref name="profile"/> is adopted; otherwise why not, in words for /readyz and explain.</summary>
    public static string? Refusal(ProfileRecord profile, NamespaceRecord? ns)
    {
        var owner = profile.Owner.Name;
        if (ns is null)
        {
            return $"profile {profile.Name} is not adopted: the namespace {profile.Name} does not exist";
        }

        if (ns.Owner is null)
        {
            return $"profile {profile.Name} is not adopted: namespace {profile.Name} has no owner annotation (the profile names '{Shown(owner)}')";
        }

        return string.Equals(ns.Owner, owner, StringComparison.Ordinal)
            ? null
            : $"profile {profile.Name} is not adopted: namespace {profile.Name} has owner annotation '{Shown(ns.Owner)}', the profile names '{Shown(owner)}'";
    }

    // Both values are written by whoever creates the objects: keep a long one from bloating /readyz and the log.
    private static string Shown(string value) => value.Length <= 128 ? value : string.Concat(value.AsSpan(0, 128), "…");
}
