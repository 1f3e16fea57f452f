using System.Text.Json.Nodes;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// The objects the API writes, as Kubernetes JSON. Shapes follow Kubeflow's own writers: the Profile as the central
/// dashboard asks kfam for it (metadata.name, spec.owner {kind: User, name}); the RoleBinding and the
/// AuthorizationPolicy as kfam's BindingClient.Create writes them (kubeflow/kubeflow v1.10.0
/// components/access-management/kfam/bindings.go): same name, annotations <c>user</c> and <c>role</c>, roleRef to
/// the ClusterRole, one User subject; the policy's one rule matches the identity header from the gateway and KFP UI
/// principals. Each carries our managed-by label.
/// </summary>
internal static class WorkspaceObjects
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    public static JsonObject Profile(string name, string owner) => new()
    {
        ["apiVersion"] = "kubeflow.org/v1",
        ["kind"] = "Profile",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = ManagedBy() },
        ["spec"] = new JsonObject { ["owner"] = new JsonObject { ["kind"] = "User", ["name"] = owner } },
    };

    /// <summary>
    /// The Namespace as the profile controller makes it (annotation <c>owner</c>, label
    /// <c>app.kubernetes.io/part-of: kubeflow-profile</c>): written only by the directory writer, where no controller runs.
    /// </summary>
    public static JsonObject Namespace(string name, string owner) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["annotations"] = new JsonObject { ["owner"] = owner },
            ["labels"] = ManagedBy(("app.kubernetes.io/part-of", "kubeflow-profile")),
        },
    };

    public static JsonObject RoleBinding(MemberBinding binding) => new()
    {
        ["apiVersion"] = $"{RbacGroup}/v1",
        ["kind"] = "RoleBinding",
        ["metadata"] = Metadata(binding),
        ["roleRef"] = new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = "ClusterRole", ["name"] = binding.ClusterRole },
        ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = "User", ["name"] = binding.Email }),
    };

    public static JsonObject AuthorizationPolicy(MemberBinding binding, string header, string prefix, IEnumerable<string> principals) => new()
    {
        ["apiVersion"] = "security.istio.io/v1beta1",
        ["kind"] = "AuthorizationPolicy",
        ["metadata"] = Metadata(binding),
        ["spec"] = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["when"] = new JsonArray(new JsonObject
                {
                    ["key"] = $"request.headers[{header}]",
                    ["values"] = new JsonArray(JsonValue.Create(prefix + binding.Email)),
                }),
                ["from"] = new JsonArray(new JsonObject
                {
                    ["source"] = new JsonObject { ["principals"] = new JsonArray([.. principals.Select(p => JsonValue.Create(p))]) },
                }),
            }),
        },
    };

    /// <summary>Several objects in one document (<c>kind: List</c>, as <c>kubectl get -o yaml</c> prints), so one file write is one change.</summary>
    public static JsonObject List(params JsonObject[] items) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "List",
        ["items"] = new JsonArray([.. items]),
    };

    private static JsonObject Metadata(MemberBinding binding) => new()
    {
        ["name"] = binding.Name,
        ["namespace"] = binding.Namespace,
        ["annotations"] = new JsonObject { [KfamNames.UserAnnotation] = binding.Email, [KfamNames.RoleAnnotation] = binding.Role },
        ["labels"] = ManagedBy(),
    };

    private static JsonObject ManagedBy(params (string Key, string Value)[] more)
    {
        var labels = new JsonObject { [KfamNames.ManagedByLabel] = KfamNames.ManagedByValue };
        foreach (var (key, value) in more)
        {
            labels[key] = value;
        }

        return labels;
    }
}
