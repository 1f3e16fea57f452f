namespace ExtAuthz.Core.Decisions;

/// <summary>What a caller may do in one namespace, weakest first.</summary>
public enum AccessRole
{
    None = 0,
    View,
    Edit,
    Admin,
    Owner,
    ClusterAdmin,
}

public static class AccessRoles
{
    private static readonly string[] s_wire = ["none", "view", "edit", "admin", "owner", "cluster-admin"];

    public static string ToWire(this AccessRole role) => s_wire[(int)role];
}
