using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Hosting;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// The objects one Profile's workspace consists of, as the partial bodies this controller applies: only the fields it
/// manages, so labels, annotations and subjects others add stay theirs. Names and shapes follow Kubeflow's profile
/// controller (namespaceAdmin, default-editor, default-viewer, kf-resource-quota, ns-owner-access-istio).
/// </summary>
internal sealed class WorkspaceShapes
{
    public const string OwnerAnnotation = "owner";
    public const string AdminBindingName = "namespaceAdmin";
    public const string Editor = "default-editor";
    public const string Viewer = "default-viewer";
    public const string Quota = "kf-resource-quota";
    public const string KubeflowPolicy = "ns-owner-access-istio";
    public const string CustomPolicy = "extauthz-profile";
    public const string AllowPolicy = "extauthz-namespace-allow";
    private const string RbacGroup = "rbac.authorization.k8s.io";

    private readonly ControllerOptions _options;

    public WorkspaceShapes(ControllerOptions options) => _options = options;

    /// <summary>Every policy name this controller may own in a namespace, whatever the mode.</summary>
    public static readonly string[] PolicyNames = [KubeflowPolicy, CustomPolicy, AllowPolicy];

    public JsonObject Namespace(ProfileView p, IReadOnlyDictionary<string, string> labels)
    {
        var labelNode = new JsonObject();
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (value.Length > 0)
            {
                labelNode[key] = value;
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject
            {
                ["name"] = p.Name,
                ["labels"] = labelNode,
                ["annotations"] = new JsonObject { [OwnerAnnotation] = p.OwnerName },
                ["ownerReferences"] = OwnerReferences(p),
            },
        };
    }

    public JsonObject ServiceAccount(ProfileView p, string name, IReadOnlyDictionary<string, string> annotations)
    {
        var metadata = Metadata(p, name);
        if (annotations.Count > 0)
        {
            metadata["annotations"] = new JsonObject(annotations.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return Object("v1", "ServiceAccount", metadata);
    }

    public JsonObject ServiceAccountBinding(ProfileView p, string name, string clusterRole)
    {
        var binding = Object($"{RbacGroup}/v1", "RoleBinding", Metadata(p, name));
        binding["roleRef"] = RoleRef(clusterRole);
        binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = name, ["namespace"] = p.Name });
        return binding;
    }

    public JsonObject AdminBinding(ProfileView p)
    {
        var metadata = Metadata(p, AdminBindingName);
        metadata["annotations"] = new JsonObject { ["role"] = "admin", ["user"] = p.OwnerName };
        var binding = Object($"{RbacGroup}/v1", "RoleBinding", metadata);
        binding["roleRef"] = RoleRef("kubeflow-admin");
        binding["subjects"] = new JsonArray(p.Owner!.DeepClone());
        return binding;
    }

    public JsonObject ResourceQuota(ProfileView p)
    {
        var quota = Object("v1", "ResourceQuota", Metadata(p, Quota));
        quota["spec"] = p.Quota!.DeepClone();
        return quota;
    }

    /// <summary>The mesh policies of the configured mode, by name.</summary>
    public IReadOnlyList<JsonObject> Policies(ProfileView p) => _options.MeshMode switch
    {
        "Authorizer" => [AuthorizerCustom(p), AuthorizerAllow(p)],
        "Compatibility" => [KubeflowOwnerPolicy(p)],
        _ => [],
    };

    private JsonObject AuthorizerCustom(ProfileView p) => Policy(p, CustomPolicy, null, new JsonObject
    {
        ["action"] = "CUSTOM",
        ["provider"] = new JsonObject { ["name"] = _options.AuthorizerProvider },
        // The Knative probe paths stay unchecked, as Kubeflow leaves them open; everything else asks the authorizer.
        ["rules"] = new JsonArray(new JsonObject
        {
            ["to"] = new JsonArray(new JsonObject { ["operation"] = new JsonObject { ["notPaths"] = ProbePaths() } }),
        }),
    });

    // Istio's mesh-wide deny-all leaves a namespace closed unless some ALLOW matches; the CUSTOM policy decides.
    private static JsonObject AuthorizerAllow(ProfileView p) => Policy(p, AllowPolicy, null, new JsonObject
    {
        ["action"] = "ALLOW",
        ["rules"] = new JsonArray(new JsonObject()),
    });

    private JsonObject KubeflowOwnerPolicy(ProfileView p) => Policy(p, KubeflowPolicy,
        new JsonObject { ["role"] = "admin", ["user"] = p.OwnerName },
        new JsonObject
        {
            ["action"] = "ALLOW",
            ["rules"] = new JsonArray(
                new JsonObject
                {
                    ["from"] = new JsonArray(Principals(_options.IngressGatewayPrincipal, _options.KfpUiPrincipal)),
                    ["when"] = new JsonArray(new JsonObject
                    {
                        ["key"] = $"request.headers[{_options.UserIdHeader}]",
                        ["values"] = new JsonArray(_options.UserIdPrefix + p.OwnerName),
                    }),
                },
                new JsonObject
                {
                    ["when"] = new JsonArray(new JsonObject { ["key"] = "source.namespace", ["values"] = new JsonArray(p.Name) }),
                },
                new JsonObject
                {
                    ["to"] = new JsonArray(new JsonObject { ["operation"] = new JsonObject { ["paths"] = ProbePaths() } }),
                },
                new JsonObject
                {
                    ["from"] = new JsonArray(Principals(_options.NotebookControllerPrincipal)),
                    ["to"] = new JsonArray(new JsonObject
                    {
                        ["operation"] = new JsonObject { ["methods"] = new JsonArray("GET"), ["paths"] = new JsonArray("*/api/kernels") },
                    }),
                }),
        });

    private static JsonObject Policy(ProfileView p, string name, JsonObject? annotations, JsonObject spec)
    {
        var metadata = Metadata(p, name);
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        var policy = Object($"{ManagedKind.AuthorizationPolicy.Group}/{ManagedKind.AuthorizationPolicy.Version}", "AuthorizationPolicy", metadata);
        policy["spec"] = spec;
        return policy;
    }

    private static JsonObject Principals(params string[] principals) =>
        new() { ["source"] = new JsonObject { ["principals"] = new JsonArray([.. principals.Select(s => (JsonNode?)s)]) } };

    private static JsonArray ProbePaths() => new("/healthz", "/metrics", "/wait-for-drain");

    private static JsonObject RoleRef(string clusterRole) =>
        new() { ["apiGroup"] = RbacGroup, ["kind"] = "ClusterRole", ["name"] = clusterRole };

    private static JsonObject Metadata(ProfileView p, string name) => new()
    {
        ["name"] = name,
        ["namespace"] = p.Name,
        ["ownerReferences"] = OwnerReferences(p),
    };

    private static JsonObject Object(string apiVersion, string kind, JsonObject metadata) =>
        new() { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };

    /// <summary>The controller reference every owned object carries: by UID, so a re-created Profile owns nothing of its predecessor.</summary>
    public static JsonArray OwnerReferences(ProfileView p) => new(new JsonObject
    {
        ["apiVersion"] = "kubeflow.org/v1",
        ["kind"] = "Profile",
        ["name"] = p.Name,
        ["uid"] = p.Uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    });
}
