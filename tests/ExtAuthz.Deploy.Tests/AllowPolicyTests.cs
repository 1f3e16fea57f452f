using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

/// <summary>The ALLOW policy that lets Envoy's Check calls through Kubeflow's mesh-wide deny-all.</summary>
public sealed class AllowPolicyTests
{
    // grpc.health.v1 is not among them: no mesh caller needs it, and its Watch streams are held open.
    private static readonly string[] CheckMethods =
    [
        "/envoy.service.auth.v3.Authorization/Check",
    ];

    public static TheoryData<string> Deployments => Layout.DeploymentData();

    public static TheoryData<string> GatewayOnly => ["istio/base", "istio/overlays/gateway", "istio/overlays/gateway-iap"];

    private static KubeObject AllowPolicy(Rendering rendering)
    {
        var ns = rendering.ExtAuthzDeployment().Namespace;
        var pods = rendering.ExtAuthzPodLabels();
        var policies = rendering.OfKind("AuthorizationPolicy")
            .Where(p => p.Namespace == ns && (p.Str("spec.action") ?? "ALLOW") == "ALLOW")
            .Where(p => Yaml.Selects(p.Root.Labels("spec.selector.matchLabels"), pods))
            .ToList();
        Assert.True(policies.Count == 1, $"{rendering.Folder}: expected one ALLOW policy for the ExtAuthz pods, found {policies.Count}");
        return policies[0];
    }

    private static IEnumerable<string> Principals(YamlNode rule) =>
        rule.Items("from").SelectMany(from => from.Strings("source.principals"));

    [Theory]
    [MemberData(nameof(Deployments))]
    public void AllowPolicy_ExtAuthzWorkload_AdmitsGatewayToCheck(string folder)
    {
        var policy = AllowPolicy(Kubectl.Kustomize(folder));

        var gatewayRule = Assert.Single(policy.Items("spec.rules"), rule => Principals(rule).Contains(Layout.GatewayPrincipal));
        var operation = Assert.Single(gatewayRule.Items("to")).At("operation")!;
        Assert.Equal([Layout.GrpcPort], operation.Strings("ports"));
        Assert.Contains("/envoy.service.auth.v3.Authorization/Check", operation.Strings("paths"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void AllowPolicy_EveryRule_NeedsMeshIdentityAndOpensOnlyCheckOnGrpcPort(string folder)
    {
        var policy = AllowPolicy(Kubectl.Kustomize(folder));

        Assert.NotEmpty(policy.Items("spec.rules"));
        Assert.All(policy.Items("spec.rules"), rule =>
        {
            Assert.NotEmpty(Principals(rule));
            Assert.Empty(rule.Items("from").SelectMany(from => from.Strings("source.notPrincipals")));
            var operation = Assert.Single(rule.Items("to")).At("operation")!;
            Assert.Equal([Layout.GrpcPort], operation.Strings("ports"));
            Assert.NotEmpty(operation.Strings("paths"));
            Assert.All(operation.Strings("paths"), path => Assert.Contains(path, CheckMethods));
        });
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void AllowPolicy_NoRule_OpensHealthToTheMesh(string folder)
    {
        var policy = AllowPolicy(Kubectl.Kustomize(folder));

        var paths = policy.Items("spec.rules").SelectMany(rule => rule.Items("to")).SelectMany(to => to.At("operation")!.Strings("paths"));

        Assert.DoesNotContain(paths, path => path.StartsWith("/grpc.health.v1.", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(GatewayOnly))]
    public void AllowPolicy_GatewayMode_AdmitsOnlyTheGateway(string folder)
    {
        var policy = AllowPolicy(Kubectl.Kustomize(folder));

        var principals = policy.Items("spec.rules").SelectMany(Principals).Distinct();

        Assert.Equal([Layout.GatewayPrincipal], principals);
    }

    [Fact]
    public void AllowPolicy_SidecarMode_AdmitsAnyMeshIdentity()
    {
        var policy = AllowPolicy(Kubectl.Kustomize("istio/overlays/sidecar"));

        Assert.Contains(policy.Items("spec.rules"), rule => Principals(rule).SequenceEqual(["*"]));
    }
}
