using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

public sealed class DeploymentTests
{
    public static TheoryData<string> Deployments => Layout.DeploymentData();

    private static YamlNode Container(string folder) =>
        Assert.Single(Kubectl.Kustomize(folder).ExtAuthzDeployment().Items("spec.template.spec.containers"));

    public static TheoryData<string, string, string> Probes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var folder in Layout.Deployments)
        {
            data.Add(folder, "livenessProbe", "/healthz");
            data.Add(folder, "readinessProbe", "/readyz");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public void Probe_Container_PointsAtOpsPort(string folder, string probe, string path)
    {
        var container = Container(folder);

        Assert.Equal(path, container.Str($"{probe}.httpGet.path"));
        Assert.Equal(Layout.OpsPort, container.Int($"{probe}.httpGet.port"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Replicas_Deployment_AreTwoAndGuardedByDisruptionBudget(string folder)
    {
        var rendering = Kubectl.Kustomize(folder);
        var deployment = rendering.ExtAuthzDeployment();
        var budget = rendering.Single("PodDisruptionBudget");

        Assert.Equal(2, deployment.Root.Int("spec.replicas"));
        Assert.Equal(1, budget.Root.Int("spec.minAvailable"));
        Assert.Equal(deployment.Namespace, budget.Namespace);
        Assert.True(Yaml.Selects(budget.Root.Labels("spec.selector.matchLabels"), rendering.ExtAuthzPodLabels()));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void SecurityContext_Container_IsNonRootReadOnlyWithoutCapabilities(string folder)
    {
        var pod = Kubectl.Kustomize(folder).ExtAuthzDeployment().Root.At("spec.template.spec")!;
        var container = Container(folder);

        Assert.Equal("true", pod.Str("securityContext.runAsNonRoot"));
        Assert.Equal("true", container.Str("securityContext.readOnlyRootFilesystem"));
        Assert.Equal("false", container.Str("securityContext.allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], container.Strings("securityContext.capabilities.drop"));
        Assert.Empty(container.Items("securityContext.capabilities.add"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void TerminationGrace_Pod_OutlastsPreStopAndSidecarDrain(string folder)
    {
        var deployment = Kubectl.Kustomize(folder).ExtAuthzDeployment();
        var grace = deployment.Root.Int("spec.template.spec.terminationGracePeriodSeconds");
        var preStopSeconds = Container(folder).Int("lifecycle.preStop.sleep.seconds");

        Assert.NotNull(grace);
        Assert.NotNull(preStopSeconds);
        Assert.True(grace > preStopSeconds + 10, $"{folder}: grace {grace}s leaves too little time after a {preStopSeconds}s preStop wait");
        var drain = DrainSeconds(deployment);
        Assert.True(drain > preStopSeconds, $"{folder}: the sidecar drains for {drain}s, less than the app's {preStopSeconds}s wait");
        Assert.True(grace > drain, $"{folder}: grace {grace}s is shorter than the sidecar drain of {drain}s");
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Resources_Container_RequestsAndAMemoryLimitButNoCpuLimit(string folder)
    {
        var container = Container(folder);

        Assert.All(
            new[] { "requests.cpu", "requests.memory", "limits.memory" },
            key => Assert.False(string.IsNullOrEmpty(container.Str($"resources.{key}")), $"{folder}: resources.{key} is not set"));
        // A CFS quota would throttle the Check path in bursts (deployment.yaml says why).
        Assert.Null(container.At("resources.limits.cpu"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void PreStop_Container_IsASleepActionNeedingNoShell(string folder)
    {
        var preStop = Container(folder).At("lifecycle.preStop");

        Assert.NotNull(preStop);
        Assert.Null(preStop.At("exec"));
        Assert.InRange(preStop.Int("sleep.seconds") ?? 0, 5, 30);
    }

    public static TheoryData<string, string, string> Spreads()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var folder in Layout.Deployments)
        {
            data.Add(folder, "kubernetes.io/hostname", "DoNotSchedule");
            data.Add(folder, "topology.kubernetes.io/zone", "ScheduleAnyway");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Spreads))]
    public void TopologySpread_Pods_AcrossHostsAndZones(string folder, string topologyKey, string whenUnsatisfiable)
    {
        var rendering = Kubectl.Kustomize(folder);
        var constraint = Assert.Single(
            rendering.ExtAuthzDeployment().Items("spec.template.spec.topologySpreadConstraints"),
            c => c.Str("topologyKey") == topologyKey);

        Assert.Equal(1, constraint.Int("maxSkew"));
        Assert.Equal(whenUnsatisfiable, constraint.Str("whenUnsatisfiable"));
        Assert.True(Yaml.Selects(constraint.Labels("labelSelector.matchLabels"), rendering.ExtAuthzPodLabels()));
        Assert.Equal(["pod-template-hash"], constraint.Strings("matchLabelKeys"));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Config_Deployment_ReadsProfilesFromKubernetes(string folder)
    {
        var rendering = Kubectl.Kustomize(folder);
        var configMapName = Assert.Single(Container(folder).Items("envFrom")).Str("configMapRef.name");
        Assert.NotNull(configMapName);
        var config = rendering.Single("ConfigMap", configMapName);

        Assert.Equal("Kubernetes", config.Str("data.Policy__Source"));
        Assert.False(string.IsNullOrEmpty(config.Str("data.Identity__Issuers__0__Issuer")));
        Assert.False(string.IsNullOrEmpty(config.Str("data.Identity__Issuers__0__Audiences__0")));
    }

    [Fact]
    public void Config_GatewayIap_ReadsTheSignedIapAssertion()
    {
        var rendering = Kubectl.Kustomize("istio/overlays/gateway-iap");
        var config = rendering.Single("ConfigMap");

        Assert.Equal("https://cloud.google.com/iap", config.Str("data.Identity__Issuers__0__Issuer"));
        Assert.Equal("x-goog-iap-jwt-assertion", config.Str("data.Identity__Issuers__0__Header"));
        Assert.Equal("ES256", config.Str("data.Identity__Issuers__0__Algorithms__0"));
        Assert.StartsWith("/projects/", config.Str("data.Identity__Issuers__0__Audiences__0"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Namespace_ExtAuthz_IsItsOwnWithSidecarInjection(string folder)
    {
        var rendering = Kubectl.Kustomize(folder);
        var ns = rendering.ExtAuthzDeployment().Namespace;
        var namespaceObject = rendering.Single("Namespace");

        Assert.Equal(ns, namespaceObject.Name);
        Assert.DoesNotContain(ns, new[] { "default", "kubeflow", Layout.IstioRootNamespace });
        Assert.Equal("enabled", namespaceObject.Root.Labels("metadata.labels").GetValueOrDefault("istio-injection"));
    }

    private static int DrainSeconds(KubeObject deployment)
    {
        var annotations = deployment.Root.Labels("spec.template.metadata.annotations");
        Assert.True(annotations.TryGetValue("proxy.istio.io/config", out var proxyConfig), "the pod sets no proxy.istio.io/config");
        var config = Assert.IsType<YamlMappingNode>(Assert.Single(Yaml.LoadDocuments(proxyConfig)));
        var drain = config.Str("terminationDrainDuration");
        Assert.NotNull(drain);
        Assert.EndsWith("s", drain, StringComparison.Ordinal);
        return int.Parse(drain[..^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
