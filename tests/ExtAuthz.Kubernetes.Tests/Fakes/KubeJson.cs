using System.Text.Json.Nodes;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>Profiles, RoleBindings and Namespaces shaped the way a real cluster returns them (uid, timestamps, ownerReferences…).</summary>
internal static class KubeJson
{
    public static JsonObject Profile(string name, string owner, string apiVersion = "kubeflow.org/v1", string ownerKind = "User",
        IDictionary<string, string>? annotations = null)
    {
        var profile = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "Profile",
            ["metadata"] = new JsonObject
            {
                ["annotations"] = Annotations(annotations),
                ["creationTimestamp"] = "2025-03-04T09:12:31Z",
                ["finalizers"] = new JsonArray("profile-finalizer"),
                ["generation"] = 1,
                ["name"] = name,
                ["resourceVersion"] = "0",
                ["uid"] = Uid(name),
            },
            ["spec"] = new JsonObject
            {
                ["owner"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = ownerKind, ["name"] = owner },
                ["resourceQuotaSpec"] = new JsonObject(),
            },
            ["status"] = new JsonObject(),
        };
        if (annotations is null)
        {
            profile["metadata"]!.AsObject().Remove("annotations");
        }

        return profile;
    }

    /// <summary>
    /// A Namespace as the profile controller leaves it (<c>kubectl get ns -o yaml</c>): the <c>owner</c> annotation when
    /// <paramref name="owner"/> is given, the profile labels, and a controller reference to the Profile of its name.
    /// </summary>
    public static JsonObject Namespace(string name, string? owner, bool profileLabels = true)
    {
        var labels = new JsonObject { ["kubernetes.io/metadata.name"] = name };
        if (profileLabels)
        {
            labels["app.kubernetes.io/part-of"] = "kubeflow-profile";
            labels["istio-injection"] = "enabled";
            labels["katib.kubeflow.org/metrics-collector-injection"] = "enabled";
            labels["pipelines.kubeflow.org/enabled"] = "true";
            labels["serving.kubeflow.org/inferenceservice"] = "enabled";
        }

        var metadata = new JsonObject
        {
            ["creationTimestamp"] = "2025-03-04T09:12:32Z",
            ["labels"] = labels,
            ["name"] = name,
            ["resourceVersion"] = "0",
            ["uid"] = Uid($"namespace/{name}"),
        };
        if (owner is not null)
        {
            metadata["annotations"] = new JsonObject { ["owner"] = owner };
            metadata["ownerReferences"] = ControlledBy(name);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        };
    }

    /// <summary>A RoleBinding as kfam writes one for a contributor: name from the email, user/role annotations.</summary>
    public static JsonObject Contributor(string ns, string user, string role, string? clusterRole = null) =>
        RoleBinding(ns, $"user-{Safe(user)}-clusterrole-{role}", clusterRole ?? $"kubeflow-{role}", [User(user)],
            new Dictionary<string, string> { ["role"] = role, ["user"] = user });

    public static JsonObject RoleBinding(string ns, string name, string clusterRole, JsonObject[] subjects,
        IDictionary<string, string>? annotations = null, string? ownerProfile = null, string roleRefKind = "ClusterRole")
    {
        var metadata = new JsonObject
        {
            ["annotations"] = Annotations(annotations),
            ["creationTimestamp"] = "2025-03-05T11:02:17Z",
            ["name"] = name,
            ["namespace"] = ns,
            ["resourceVersion"] = "0",
            ["uid"] = Uid($"{ns}/{name}"),
        };
        if (ownerProfile is not null)
        {
            metadata["ownerReferences"] = ControlledBy(ownerProfile);
        }

        if (metadata["annotations"] is null)
        {
            metadata.Remove("annotations");
        }

        return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = metadata,
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleRefKind, ["name"] = clusterRole },
            ["subjects"] = new JsonArray([.. subjects]),
        };
    }

    public static JsonObject User(string name) => new() { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = name };

    public static JsonObject Group(string name) => new() { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = name };

    public static JsonObject ServiceAccount(string ns, string name) => new() { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = ns };

    /// <summary>The objects the profile controller makes for a Profile: namespaceAdmin, default-editor, default-viewer.</summary>
    public static IEnumerable<JsonObject> ControllerBindings(string ns, string owner) =>
    [
        RoleBinding(ns, "namespaceAdmin", "kubeflow-admin", [User(owner)], new Dictionary<string, string> { ["role"] = "admin", ["user"] = owner }, ns),
        RoleBinding(ns, "default-editor", "kubeflow-edit", [ServiceAccount(ns, "default-editor")], ownerProfile: ns),
        RoleBinding(ns, "default-viewer", "kubeflow-view", [ServiceAccount(ns, "default-viewer")], ownerProfile: ns),
    ];

    /// <summary>The controller reference the profile controller sets on everything it makes for a Profile.</summary>
    private static JsonArray ControlledBy(string profile) => new(new JsonObject
    {
        ["apiVersion"] = "kubeflow.org/v1",
        ["blockOwnerDeletion"] = true,
        ["controller"] = true,
        ["kind"] = "Profile",
        ["name"] = profile,
        ["uid"] = Uid(profile),
    });

    private static JsonObject? Annotations(IDictionary<string, string>? annotations) =>
        annotations is null ? null : new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));

    private static string Safe(string user) => System.Text.RegularExpressions.Regex.Replace(user, "[^a-zA-Z0-9]+", "-").ToLowerInvariant();

    private static string Uid(string seed)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
