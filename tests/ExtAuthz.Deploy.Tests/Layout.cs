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

    public static IEnumerable<string> All => Deployments.Concat(PolicyOnly).Concat(Controllers);

    /// <summary>
    /// Kustomizations outside istio/ that the tests render to use a component the way an installation would: the
    /// Profile CRD status patch, on a stand-in of Kubeflow's CRD.
    /// </summary>
    public static readonly string[] Fixtures =
    [
        "tests/ExtAuthz.Deploy.Tests/ProfileCrd",
    ];

    public const string ProviderName = "extauthz";
    public const string GatewayPrincipal = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    public const string IstioRootNamespace = "istio-system";
    public const string GrpcPort = "9000";
    public const int OpsPort = 8080;

    public static TheoryData<string> DeploymentData() => [.. Deployments];

    public static TheoryData<string> AllData() => [.. All];
}
