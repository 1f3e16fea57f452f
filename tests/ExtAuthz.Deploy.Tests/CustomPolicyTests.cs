namespace ExtAuthz.Deploy.Tests;

/// <summary>Where the CUSTOM policies land: on the gateway, the web apps and profile namespaces, never on ExtAuthz.</summary>
public sealed class CustomPolicyTests
{
    public static TheoryData<string> AllFolders => Layout.AllData();

    /// <summary>The kustomizations of istio/ alone (the Kubeflow renders also hold Kubeflow's own oauth2-proxy policy).</summary>
    public static TheoryData<string> OwnFolders => [.. Layout.All.Where(f => f.StartsWith("istio/", StringComparison.Ordinal))];

    /// <summary>The namespace and pod labels of ExtAuthz as the base renders them.</summary>
    private static (string Namespace, IReadOnlyDictionary<string, string> Labels) ExtAuthz()
    {
        var rendering = Kubectl.Kustomize("istio/base");
        return (rendering.ExtAuthzDeployment().Namespace!, rendering.ExtAuthzPodLabels());
    }

    [Theory]
    [MemberData(nameof(AllFolders))]
    public void CustomPolicies_Placement_NeverCoverExtAuthz(string folder)
    {
        var extAuthz = ExtAuthz();

        Assert.All(Kubectl.Kustomize(folder).CustomPolicies(), policy =>
        {
            var selector = policy.Root.Labels("spec.selector.matchLabels");
            Assert.NotEqual(extAuthz.Namespace, policy.Namespace);
            if (policy.Namespace == Layout.IstioRootNamespace)
            {
                // A root-namespace policy applies mesh-wide to whatever its selector matches.
                Assert.NotEmpty(selector);
                Assert.False(Yaml.Selects(selector, extAuthz.Labels), $"{policy} selects the ExtAuthz pods");
            }
        });
    }

    [Theory]
    [MemberData(nameof(OwnFolders))]
    public void CustomPolicies_Provider_IsExtAuthz(string folder)
    {
        Assert.All(Kubectl.Kustomize(folder).CustomPolicies(), policy =>
        {
            Assert.Equal(Layout.ProviderName, policy.Str("spec.provider.name"));
            Assert.NotEmpty(policy.Items("spec.rules"));
        });
    }

    [Theory]
    [InlineData("istio/base", 0)]
    [InlineData("istio/overlays/gateway", 1)]
    [InlineData("istio/overlays/gateway-iap", 1)]
    [InlineData("istio/overlays/sidecar", 8)]
    [InlineData("istio/examples/kubeflow-user-example-com", 1)]
    public void CustomPolicies_Count_MatchesTheMode(string folder, int expected)
    {
        Assert.Equal(expected, Kubectl.Kustomize(folder).CustomPolicies().Count());
    }

    [Theory]
    [InlineData("istio/overlays/gateway")]
    [InlineData("istio/overlays/gateway-iap")]
    public void GatewayPolicy_Custom_SelectsIngressGateway(string folder)
    {
        var policy = Assert.Single(Kubectl.Kustomize(folder).CustomPolicies());

        Assert.Equal(Layout.IstioRootNamespace, policy.Namespace);
        Assert.Equal(
            new Dictionary<string, string> { ["app"] = "istio-ingressgateway" },
            policy.Root.Labels("spec.selector.matchLabels"));
        Assert.Equal(Layout.ProviderName, policy.Str("spec.provider.name"));
    }

    [Theory]
    [InlineData("/dex/*")]
    [InlineData("/oauth2/*")]
    public void GatewayPolicy_Rules_ExcludeLoginPaths(string path)
    {
        var policy = Assert.Single(Kubectl.Kustomize("istio/overlays/gateway").CustomPolicies());

        Assert.All(policy.Items("spec.rules"), rule =>
            Assert.All(rule.Items("to"), to => Assert.Contains(path, to.Strings("operation.notPaths"))));
    }

    [Theory]
    [InlineData("centraldashboard", "app", "centraldashboard")]
    [InlineData("jupyter-web-app", "app", "jupyter-web-app")]
    [InlineData("volumes-web-app", "app", "volumes-web-app")]
    [InlineData("tensorboards-web-app", "app", "tensorboards-web-app")]
    [InlineData("katib-ui", "katib.kubeflow.org/component", "ui")]
    [InlineData("ml-pipeline-ui", "app", "ml-pipeline-ui")]
    [InlineData("kserve-models-web-application", "app.kubernetes.io/component", "kserve-models-web-application")]
    [InlineData("model-registry-ui", "app", "model-registry-ui")]
    public void WebAppPolicy_Sidecar_SelectsTheAppInKubeflow(string app, string labelKey, string labelValue)
    {
        var policy = Kubectl.Kustomize("istio/overlays/sidecar").Single("AuthorizationPolicy", $"{app}-extauthz");

        Assert.Equal("CUSTOM", policy.Str("spec.action"));
        Assert.Equal("kubeflow", policy.Namespace);
        Assert.Equal(new Dictionary<string, string> { [labelKey] = labelValue }, policy.Root.Labels("spec.selector.matchLabels"));
    }

    [Fact]
    public void ProfileNamespacePolicy_Component_CoversTheWholeTargetNamespace()
    {
        var rendering = Kubectl.Kustomize("istio/examples/kubeflow-user-example-com");

        var policy = Assert.Single(rendering.Objects);
        Assert.Equal("AuthorizationPolicy", policy.Kind);
        Assert.Equal("CUSTOM", policy.Str("spec.action"));
        Assert.Equal("kubeflow-user-example-com", policy.Namespace);
        Assert.Null(policy.Root.At("spec.selector"));
        Assert.Null(policy.Root.At("spec.targetRefs"));
    }

    /// <summary>
    /// The probe paths skip the Check only at the workload: a rule of their own sends them to ExtAuthz when the
    /// gateway (or the Pipelines UI) relays them, so an inference host's /metrics is never open from outside.
    /// </summary>
    [Fact]
    public void ProfileNamespacePolicy_ProbePaths_CheckedWhenRelayedByTheGateway()
    {
        var policy = Assert.Single(Kubectl.Kustomize("istio/examples/kubeflow-user-example-com").Objects);
        var rules = policy.Items("spec.rules").ToList();

        var probes = Assert.Single(rules, r => r.Items("to").Any());
        Assert.Equal(["/healthz", "/metrics", "/wait-for-drain"], Assert.Single(probes.Items("to")).Strings("operation.notPaths"));
        var relayed = Assert.Single(rules, r => r.Items("from").Any());
        Assert.Empty(relayed.Items("to"));
        Assert.Contains(
            "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account",
            Assert.Single(relayed.Items("from")).Strings("source.principals"));
    }

    [Fact]
    public void ProfileNamespacePolicy_Component_WithoutNamespaceNamesNoRealNamespace()
    {
        var text = File.ReadAllText(RepoRoot.Combine("istio/components/profile-namespace/authorization-policy.yaml"));
        var policy = new KubeObject(Assert.IsType<YamlDotNet.RepresentationModel.YamlMappingNode>(Assert.Single(Yaml.LoadDocuments(text))));

        Assert.DoesNotContain(policy.Namespace, new[] { null, "", "default", "kubeflow", Layout.IstioRootNamespace, ExtAuthz().Namespace });
    }
}
