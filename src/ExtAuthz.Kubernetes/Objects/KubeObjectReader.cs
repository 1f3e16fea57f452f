using System.Text.Json;
using ExtAuthz.Core.Access;
using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Kubernetes.Objects;

/// <summary>
/// Reads Profiles, RoleBindings and Namespaces from their JSON form (as the API server sends them, or as YAML converted by
/// <see cref="YamlJson"/>). Lenient about what it does not use, strict about what grants: a wrong type in
/// <c>metadata</c>, <c>spec.owner</c>, <c>roleRef</c> or <c>subjects</c> makes the object malformed, never half-read.
/// </summary>
internal static class KubeObjectReader
{
    public const string ProfileGroup = "kubeflow.org";
    public const string RbacGroup = "rbac.authorization.k8s.io";

    public static bool IsProfileApiVersion(string? apiVersion) => apiVersion is "kubeflow.org/v1" or "kubeflow.org/v1beta1";

    public static bool IsRoleBindingApiVersion(string? apiVersion) => apiVersion is "rbac.authorization.k8s.io/v1";

    public static bool IsNamespaceApiVersion(string? apiVersion) => apiVersion is "v1";

    public static string? KindOf(JsonElement obj) => StringOrNull(obj, "kind");

    public static string? ApiVersionOf(JsonElement obj) => StringOrNull(obj, "apiVersion");

    /// <summary>metadata.resourceVersion, or null.</summary>
    public static string? ResourceVersionOf(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var metadata) ? StringOrNull(metadata, "resourceVersion") : null;

    /// <summary>metadata.namespace and metadata.name, when they can be read (even from an otherwise malformed object).</summary>
    public static ObjectKey? KeyOf(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var name = StringOrNull(metadata, "name");
        return string.IsNullOrEmpty(name) ? null : new ObjectKey(StringOrNull(metadata, "namespace"), name);
    }

    public static bool TryReadProfile(JsonElement obj, out ProfileRecord? profile, out string? error)
    {
        profile = null;
        if (!TryReadNamespaceName(obj, "Profile", out var name, out var annotations, out error))
        {
            return false;
        }

        var owner = new SubjectRecord(string.Empty, string.Empty);
        if (obj.TryGetProperty("spec", out var spec) && spec.ValueKind != JsonValueKind.Null)
        {
            if (spec.ValueKind != JsonValueKind.Object)
            {
                error = "spec is not an object";
                return false;
            }

            if (spec.TryGetProperty("owner", out var ownerElement) && ownerElement.ValueKind != JsonValueKind.Null
                && !TryReadSubject(ownerElement, "spec.owner", out owner!, out error))
            {
                return false;
            }
        }

        var dryRun = annotations.TryGetValue(ProfileRecord.DryRunAnnotation, out var flag) && flag == "true";
        profile = new ProfileRecord(name, owner, dryRun);
        return true;
    }

    /// <summary>A Namespace: its name and the profile controller's <c>owner</c> annotation, nothing else.</summary>
    public static bool TryReadNamespace(JsonElement obj, out NamespaceRecord? ns, out string? error)
    {
        ns = null;
        if (!TryReadNamespaceName(obj, "Namespace", out var name, out var annotations, out error))
        {
            return false;
        }

        ns = new NamespaceRecord(name, annotations.TryGetValue(NamespaceRecord.OwnerAnnotation, out var owner) ? owner : null);
        return true;
    }

    public static bool TryReadRoleBinding(JsonElement obj, out RoleBindingRecord? binding, out string? error)
    {
        binding = null;
        if (!TryReadMetadata(obj, namespaced: true, out var name, out var ns, out var annotations, out error))
        {
            return false;
        }

        if (!obj.TryGetProperty("roleRef", out var roleRef) || roleRef.ValueKind != JsonValueKind.Object)
        {
            error = "roleRef is missing or not an object";
            return false;
        }

        if (!TryString(roleRef, "kind", "roleRef", out var refKind, out error)
            || !TryString(roleRef, "name", "roleRef", out var refName, out error)
            || !TryOptionalString(roleRef, "apiGroup", "roleRef", out var refGroup, out error))
        {
            return false;
        }

        // Only RBAC's own ClusterRoles can be kubeflow-admin/edit/view; another group's "ClusterRole" grants nothing.
        var kind = refGroup is null or "" or RbacGroup ? refKind : $"{refGroup}/{refKind}";

        var subjects = new List<SubjectRecord>();
        if (obj.TryGetProperty("subjects", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                error = "subjects is not a list";
                return false;
            }

            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (!TryReadSubject(item, $"subjects[{i++}]", out var subject, out error))
                {
                    return false;
                }

                subjects.Add(subject!);
            }
        }

        annotations.TryGetValue("user", out var user);
        annotations.TryGetValue("role", out var role);
        binding = new RoleBindingRecord(ns!, name, kind, refName, subjects, user, role);
        return true;
    }

    /// <summary>The metadata of a cluster-scoped object whose name is a namespace's (a Profile's is too).</summary>
    private static bool TryReadNamespaceName(JsonElement obj, string kind, out string name, out Dictionary<string, string> annotations, out string? error)
    {
        if (!TryReadMetadata(obj, namespaced: false, out name, out _, out annotations, out error))
        {
            return false;
        }

        if (!DnsLabel.IsValid(name))
        {
            error = $"{kind} name '{name}' is not a namespace name";
            return false;
        }

        return true;
    }

    private static bool TryReadMetadata(JsonElement obj, bool namespaced, out string name, out string? ns,
        out Dictionary<string, string> annotations, out string? error)
    {
        name = string.Empty;
        ns = null;
        annotations = [];
        if (obj.ValueKind != JsonValueKind.Object)
        {
            error = "the object is not a mapping";
            return false;
        }

        if (!obj.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            error = "metadata is missing or not an object";
            return false;
        }

        if (!TryString(metadata, "name", "metadata", out name, out error))
        {
            return false;
        }

        if (namespaced)
        {
            if (!TryString(metadata, "namespace", "metadata", out var value, out error))
            {
                return false;
            }

            ns = value;
        }

        if (metadata.TryGetProperty("annotations", out var map) && map.ValueKind != JsonValueKind.Null)
        {
            if (map.ValueKind != JsonValueKind.Object)
            {
                error = "metadata.annotations is not a map";
                return false;
            }

            foreach (var property in map.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    annotations[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return true;
    }

    private static bool TryReadSubject(JsonElement element, string where, out SubjectRecord? subject, out string? error)
    {
        subject = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} is not an object";
            return false;
        }

        if (!TryString(element, "kind", where, out var kind, out error)
            || !TryString(element, "name", where, out var name, out error)
            || !TryOptionalString(element, "namespace", where, out var ns, out error))
        {
            return false;
        }

        subject = new SubjectRecord(kind, name, string.IsNullOrEmpty(ns) ? null : ns);
        return true;
    }

    private static bool TryString(JsonElement parent, string property, string where, out string value, out string? error)
    {
        value = string.Empty;
        error = null;
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind != JsonValueKind.String || element.GetString()!.Length == 0)
        {
            error = $"{where}.{property} is missing or not a non-empty string";
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    private static bool TryOptionalString(JsonElement parent, string property, string where, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"{where}.{property} is not a string";
            return false;
        }

        value = element.GetString();
        return true;
    }

    private static string? StringOrNull(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
