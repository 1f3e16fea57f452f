namespace ExtAuthz.Controller.Cache;

/// <summary>A kind the controller reads and writes, with the coordinates its REST paths are built from.</summary>
internal sealed record ManagedKind(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public static readonly ManagedKind Namespace = new("", "v1", "Namespace", "namespaces", false);
    public static readonly ManagedKind ServiceAccount = new("", "v1", "ServiceAccount", "serviceaccounts", true);
    public static readonly ManagedKind ResourceQuota = new("", "v1", "ResourceQuota", "resourcequotas", true);
    public static readonly ManagedKind RoleBinding = new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true);
    public static readonly ManagedKind AuthorizationPolicy = new("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies", true);

    /// <summary>Every kind a Profile owns, in the order a workspace is written (the namespace first).</summary>
    public static readonly IReadOnlyList<ManagedKind> Owned = [Namespace, ServiceAccount, RoleBinding, ResourceQuota, AuthorizationPolicy];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
