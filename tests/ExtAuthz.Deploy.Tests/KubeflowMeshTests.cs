using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

/// <summary>
/// The Kubeflow topologies (istio/kubeflow) rendered on the stand-in for kubeflow/manifests: what each one changes in
/// the mesh that every topology shares — provider, Dex admission, root Sidecar, the Profile controller.
/// </summary>
public sealed class KubeflowMeshTests
{
    private const string SharedMeshConfigName = "istio-extauthz";

    public static TheoryData<string> Topologies => Layout.KubeflowTopologyData();

    private static Rendering Render(string topology) => Kubectl.Kustomize(Layout.KubeflowRender(topology));

    private static IReadOnlyList<YamlNode> DiscoveryEnv(Rendering rendering)
    {
        var istiod = rendering.Single("Deployment", Layout.IstioRootNamespace, "istiod");
        var discovery = Assert.Single(istiod.Items("spec.template.spec.containers"), c => c.Str("name") == "discovery");
        return discovery.Items("env");
    }

    private static YamlMappingNode Mesh(KubeObject configMap) =>
        Assert.IsType<YamlMappingNode>(Assert.Single(Yaml.LoadDocuments(configMap.Str("data.mesh") ?? "")));

    [Theory]
    [MemberData(nameof(Topologies))]
    public void MeshConfig_Topology_IstiodReadsOurProviderBesideKubeflows(string topology)
    {
        var rendering = Render(topology);
        var env = DiscoveryEnv(rendering);
        var shared = rendering.Single("ConfigMap", Layout.IstioRootNamespace, SharedMeshConfigName);
        var kubeflowMesh = Mesh(rendering.Single("ConfigMap", Layout.IstioRootNamespace, "istio"));

        Assert.Equal(SharedMeshConfigName, Assert.Single(env, e => e.Str("name") == "SHARED_MESH_CONFIG").Str("value"));
        Assert.Contains(env, e => e.Str("name") == "PILOT_JWT_PUB_KEY_REFRESH_INTERVAL");
        Assert.Equal(["oauth2-proxy"], kubeflowMesh.Items("extensionProviders").Select(p => p.Str("name")));
        Assert.Equal([Layout.ProviderName], Mesh(shared).Items("extensionProviders").Select(p => p.Str("name")));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void MeshConfig_SharedProvider_IsTheShippedHelmEntry(string topology)
    {
        static IReadOnlyDictionary<string, string> Fields(YamlNode provider) =>
            ((YamlMappingNode)provider.At("envoyExtAuthzGrpc")!).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());

        var shared = Mesh(Render(topology).Single("ConfigMap", Layout.IstioRootNamespace, SharedMeshConfigName));
        var helm = Yaml.LoadFile("istio/mesh/istiod-values.yaml");

        Assert.Equal(
            Fields(Assert.Single(helm.Items("meshConfig.extensionProviders"))).OrderBy(kv => kv.Key, StringComparer.Ordinal),
            Fields(Assert.Single(shared.Items("extensionProviders"))).OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void Dex_Topology_AdmitsExtAuthzPods(string topology)
    {
        var rendering = Render(topology);
        var dexPods = rendering.Single("Deployment", "auth", "dex").Root.Labels("spec.template.metadata.labels");
        var ours = rendering.ExtAuthzPodLabels();
        var ns = rendering.ExtAuthzDeployment().Namespace;

        var admitting = rendering.OfKind("NetworkPolicy")
            .Where(p => p.Namespace == "auth" && Yaml.Selects(p.Root.Labels("spec.podSelector.matchLabels"), dexPods))
            .SelectMany(p => p.Items("spec.ingress"))
            .SelectMany(rule => rule.Items("from"))
            .Where(peer => peer.Labels("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") == ns
                && Yaml.Selects(peer.Labels("podSelector.matchLabels"), ours));

        Assert.NotEmpty(admitting);
        Assert.NotNull(rendering.Find("NetworkPolicy", "auth", "allow-istio-and-oauth2-proxy"));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void RootSidecar_Topology_EgressAddsExtAuthzAndKeepsKubeflows(string topology)
    {
        var rendering = Render(topology);
        var hosts = rendering.Single("Sidecar", Layout.IstioRootNamespace, "default").Root.Strings("spec.egress.0.hosts");
        var expected = Yaml.LoadObjects(File.ReadAllText(RepoRoot.Combine($"{Layout.KubeflowTestData}/stand-in/root-sidecar.yaml")))[0]
            .Root.Strings("spec.egress.0.hosts");

        Assert.Equal([.. expected, $"{rendering.ExtAuthzDeployment().Namespace}/*"], hosts);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void OwnSidecar_Topology_ReachesDexAndIstio(string topology)
    {
        var rendering = Render(topology);
        var ns = rendering.ExtAuthzDeployment().Namespace;
        var sidecar = Assert.Single(rendering.OfKind("Sidecar"), s => s.Namespace == ns);

        Assert.Null(sidecar.Str("spec.workloadSelector"));
        Assert.Equal(["./*", "istio-system/*", "auth/*"], sidecar.Root.Strings("spec.egress.0.hosts"));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void ProfileController_Topology_OursInAuthorizerModeKfamStays(string topology)
    {
        var rendering = Render(topology);
        var profiles = rendering.Single("Deployment", "kubeflow", "profiles-deployment");
        var controllerConfig = rendering.OfKind("ConfigMap").Single(c => c.Name.StartsWith("extauthz-profile-controller-config", StringComparison.Ordinal));

        Assert.Equal(["kfam"], profiles.Items("spec.template.spec.containers").Select(c => c.Str("name")));
        Assert.NotNull(rendering.Find("Deployment", "kubeflow", "extauthz-profile-controller"));
        Assert.Equal("Authorizer", controllerConfig.Str("data.Controller__MeshMode"));
        Assert.Equal(Layout.ProviderName, controllerConfig.Str("data.Controller__AuthorizerProvider"));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void ProfileController_Topology_LabelsNamespacesFromKubeflowsList(string topology)
    {
        var rendering = Render(topology);
        var pod = rendering.Single("Deployment", "kubeflow", "extauthz-profile-controller").Root.At("spec.template.spec")!;
        var file = Assert.Single(pod.Items("containers")).Items("env")
            .Concat(rendering.OfKind("ConfigMap").Where(c => c.Name.StartsWith("extauthz-profile-controller-config", StringComparison.Ordinal))
                .Select(c => c.Root.At("data")!))
            .Select(n => n.Str("Controller__NamespaceLabelsFile"))
            .Single(f => f is not null)!;
        var mount = Assert.Single(Assert.Single(pod.Items("containers")).Items("volumeMounts"), m => file.StartsWith(m.Str("mountPath") + "/", StringComparison.Ordinal));
        var volume = Assert.Single(pod.Items("volumes"), v => v.Str("name") == mount.Str("name"));
        var labels = rendering.Single("ConfigMap", "kubeflow", volume.Str("configMap.name")!);

        Assert.Equal("namespace-labels-data", labels.Name);
        Assert.Contains("pod-security.kubernetes.io/enforce", labels.Root.Labels("data").GetValueOrDefault(Path.GetFileName(file)), StringComparison.Ordinal);
        Assert.Null(rendering.Find("ConfigMap", "kubeflow", "extauthz-profile-namespace-labels"));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void ProfileCrd_Topology_KeepsTheStatusOurControllerWrites(string topology)
    {
        var crd = Render(topology).Single("CustomResourceDefinition", null, "profiles.kubeflow.org");

        Assert.Equal(["v1", "v1beta1"], crd.Items("spec.versions").Select(v => v.Str("name")));
        Assert.All(crd.Items("spec.versions"), version =>
        {
            var status = version.At("schema.openAPIV3Schema.properties.status.properties")!;
            Assert.NotNull(status.At("observedGeneration"));
            Assert.NotNull(status.At("conditions.items.properties.reason"));
            Assert.NotNull(status.At("conditions.items.properties.lastTransitionTime"));
        });
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void ExtAuthzAllow_Topology_AdmitsTheProfileNamespacesSidecars(string topology)
    {
        // In authorizer mode every profile namespace has a CUSTOM policy, so its sidecars call the Check method.
        var rendering = Render(topology);
        var allow = rendering.Single("AuthorizationPolicy", rendering.ExtAuthzDeployment().Namespace, "extauthz-allow-check");
        var principals = allow.Items("spec.rules").SelectMany(r => r.Items("from")).SelectMany(f => f.Strings("source.principals"));

        Assert.Equal(1, principals.Count(p => p == "*"));
    }
}
