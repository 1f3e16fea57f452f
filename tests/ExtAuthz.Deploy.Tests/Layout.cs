namespace ExtAuthz.Deploy.Tests;

/// <summary>The folders of istio/ and the names the manifests agree on.</summary>
internal static class Layout
{
    /// <summary>Kustomizations that deploy ExtAuthz itself (the base and every overlay).</summary>
    public static readonly string[] Deployments =
    [
        "istio/base",
        "istio/overlays/gateway",
        "istio/overlays/gateway-iap",
        "istio/overlays/sidecar",
        "istio/examples/replicated-with-redis",
    ];

    /// <summary>Kustomizations that only place policies (a component used on its own).</summary>
    public static readonly string[] PolicyOnly =
    [
        "istio/examples/kubeflow-user-example-com",
    ];

    /// <summary>Kustomizations that deploy the Profile controller.</summary>
    public static readonly string[] Controllers =
    [
        "istio/controller",
    ];

    /// <summary>Kustomizations that deploy ExtAuthz with the workspace API's component (its own RBAC: SelfServiceManifestTests).</summary>
    public static readonly string[] WithSelfService =
    [
        "istio/overlays/gateway-self-service",
    ];

    public static IEnumerable<string> All => Deployments.Concat(PolicyOnly).Concat(Controllers).Concat(WithSelfService).Concat(KubeflowRenders);

    /// <summary>
    /// Each Kubeflow topology of istio/kubeflow (a component) rendered on the stand-in for kubeflow/manifests in
    /// tests/ExtAuthz.Deploy.Tests/Kubeflow: folder there → the topology component it adds.
    /// </summary>
    public static readonly string[] KubeflowTopologies = ["gateway-login", "gateway-iap", "sidecar"];

    /// <summary>The stand-in renders: each topology, plus the optional components.</summary>
    public static readonly string[] KubeflowRenders =
    [
        .. KubeflowTopologies.Select(KubeflowRender),
        KubeflowRender("gateway-login-m2m"),
        KubeflowRender("sidecar-m2m"),
        KubeflowRender("gateway-iap-own-settings"),
        KubeflowRender("sidecar-istio-1.30"),
    ];

    public const string KubeflowTestData = "tests/ExtAuthz.Deploy.Tests/Kubeflow";

    public static string KubeflowRender(string name) => $"{KubeflowTestData}/{name}";

    public static TheoryData<string> KubeflowTopologyData() => [.. KubeflowTopologies];

    /// <summary>
    /// Kustomizations outside istio/ that the tests render to use a component the way an installation would: the
    /// Profile CRD status patch, on a stand-in of Kubeflow's CRD; the workspace API with kfam's per-member policies.
    /// </summary>
    public static readonly string[] Fixtures =
    [
        "tests/ExtAuthz.Deploy.Tests/ProfileCrd",
        "tests/ExtAuthz.Deploy.Tests/SelfServiceIstioPolicies",
    ];

    public const string ProviderName = "extauthz";
    public const string GatewayPrincipal = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    public const string IstioRootNamespace = "istio-system";
    public const string GrpcPort = "9000";
    public const int OpsPort = 8080;

    public static TheoryData<string> DeploymentData() => [.. Deployments];

    public static TheoryData<string> AllData() => [.. All];
}
