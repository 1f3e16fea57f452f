using System.Text.RegularExpressions;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Names and labels as kfam writes them, so kfam, the dashboard and we list and remove the same objects
/// (kubeflow/kubeflow v1.10.0 components/access-management/kfam/bindings.go: getBindingName, Create).
/// </summary>
internal static partial class KfamNames
{
    /// <summary>Annotation with the member's raw email.</summary>
    public const string UserAnnotation = "user";

    /// <summary>Annotation with the short role name (<c>admin</c>, <c>edit</c>, <c>view</c>).</summary>
    public const string RoleAnnotation = "role";

    /// <summary>The label on everything this API writes.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "extauthz";

    /// <summary>The profile controller's owner binding: never removed through the API.</summary>
    public const string OwnerBinding = "namespaceAdmin";

    /// <summary>
    /// kfam's getBindingName: lower(join([kind, replace(name, /[^a-zA-Z0-9]+/, "-"), "ClusterRole", role], "-")) with
    /// every run of non-alphanumerics replaced by '-' again, e.g. <c>user-alice-example-com-clusterrole-edit</c>.
    /// </summary>
    public static string BindingName(string email, string role)
    {
        var raw = string.Join('-', "User", NonAlphanumeric().Replace(email, "-"), "ClusterRole", role).ToLowerInvariant();
        return NonAlphanumeric().Replace(raw, "-");
    }

    [GeneratedRegex("[^a-zA-Z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonAlphanumeric();
}
