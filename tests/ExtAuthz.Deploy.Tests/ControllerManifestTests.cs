namespace ExtAuthz.Deploy.Tests;

/// <summary>The Profile controller's manifests: least-privilege RBAC, the Lease, the Deployment, its ops Service.</summary>
public sealed class ControllerManifestTests
{
    private const string Folder = "istio/controller";

    private static Rendering Render() => Kubectl.Kustomize(Folder);

    private static KubeObject Deployment() => Render().Single("Deployment", "extauthz-profile-controller");

    private static IEnumerable<string> Grants(KubeObject role) =>
        role.Items("rules").SelectMany(rule =>
            from apiGroup in rule.Strings("apiGroups")
            from resource in rule.Strings("resources")
            from verb in rule.Strings("verbs")
            let names = rule.Strings("resourceNames")
            select names.Count == 0 ? $"{apiGroup}/{resource}:{verb}" : $"{apiGroup}/{resource}:{verb}[{string.Join(",", names)}]");

    /// <summary>A setting from the controller's generated ConfigMap.</summary>
    private static string? Env(string key) =>
        Render().OfKind("ConfigMap").Single(c => c.Name.StartsWith("extauthz-profile-controller-config", StringComparison.Ordinal)).Str($"data.{key}");

    [Fact]
    public void ClusterRole_Rules_ExactlyWhatTheControllerWrites()
    {
        var grants = Grants(Render().Single("ClusterRole")).Order(StringComparer.Ordinal).ToList();

        string[] expected =
        [
            "/namespaces:create", "/namespaces:get", "/namespaces:list", "/namespaces:patch", "/namespaces:update", "/namespaces:watch",
            "/resourcequotas:create", "/resourcequotas:delete", "/resourcequotas:get", "/resourcequotas:list", "/resourcequotas:patch",
            "/resourcequotas:update", "/resourcequotas:watch",
            "/serviceaccounts:create", "/serviceaccounts:get", "/serviceaccounts:list", "/serviceaccounts:patch", "/serviceaccounts:update",
            "/serviceaccounts:watch",
            "kubeflow.org/profiles/finalizers:update",
            "kubeflow.org/profiles/status:get", "kubeflow.org/profiles/status:patch", "kubeflow.org/profiles/status:update",
            "kubeflow.org/profiles:get", "kubeflow.org/profiles:list", "kubeflow.org/profiles:patch", "kubeflow.org/profiles:update",
            "kubeflow.org/profiles:watch",
            "rbac.authorization.k8s.io/clusterroles:bind[kubeflow-admin,kubeflow-edit,kubeflow-view]",
            "rbac.authorization.k8s.io/rolebindings:create", "rbac.authorization.k8s.io/rolebindings:delete",
            "rbac.authorization.k8s.io/rolebindings:get", "rbac.authorization.k8s.io/rolebindings:list",
            "rbac.authorization.k8s.io/rolebindings:patch", "rbac.authorization.k8s.io/rolebindings:update",
            "rbac.authorization.k8s.io/rolebindings:watch",
            "security.istio.io/authorizationpolicies:create", "security.istio.io/authorizationpolicies:delete",
            "security.istio.io/authorizationpolicies:get", "security.istio.io/authorizationpolicies:list",
            "security.istio.io/authorizationpolicies:patch", "security.istio.io/authorizationpolicies:update",
            "security.istio.io/authorizationpolicies:watch",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), grants);
    }

    [Fact]
    public void Rbac_AllRoles_NoWildcardAndNoClusterAdmin()
    {
        var rendering = Render();
        var roles = rendering.OfKind("ClusterRole").Concat(rendering.OfKind("Role")).ToList();
        var bindings = rendering.OfKind("ClusterRoleBinding").Concat(rendering.OfKind("RoleBinding")).ToList();

        Assert.NotEmpty(roles);
        Assert.DoesNotContain(roles.SelectMany(Grants), g => g.Contains('*', StringComparison.Ordinal));
        Assert.All(bindings, b => Assert.NotEqual("cluster-admin", b.Str("roleRef.name")));
        Assert.All(bindings, b => Assert.Contains(roles, r => r.Name == b.Str("roleRef.name") && r.Kind == b.Str("roleRef.kind")));
    }

    [Fact]
    public void Bindings_Subject_IsTheDeploymentServiceAccount()
    {
        var rendering = Render();
        var deployment = Deployment();
        var account = deployment.Str("spec.template.spec.serviceAccountName");

        Assert.Equal(account, rendering.Single("ServiceAccount").Name);
        Assert.All(rendering.OfKind("ClusterRoleBinding").Concat(rendering.OfKind("RoleBinding")), binding =>
        {
            var subject = Assert.Single(binding.Items("subjects"));
            Assert.Equal("ServiceAccount", subject.Str("kind"));
            Assert.Equal(account, subject.Str("name"));
            Assert.Equal(deployment.Namespace, subject.Str("namespace"));
        });
    }

    [Fact]
    public void LeaseRole_Grants_OnlyTheConfiguredLease()
    {
        var deployment = Deployment();
        var role = Render().Single("Role", "extauthz-profile-controller-leader-election");
        var leaseName = Env("Controller__LeaderElection__LeaseName");

        Assert.Equal(Env("Controller__LeaderElection__Namespace"), role.Namespace);
        Assert.Equal(deployment.Namespace, role.Namespace);
        Assert.Equal(
            ["coordination.k8s.io/leases:create", $"coordination.k8s.io/leases:get[{leaseName}]", $"coordination.k8s.io/leases:update[{leaseName}]"],
            Grants(role).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EventsRole_Grants_CreateInDefaultOnly()
    {
        var role = Render().Single("Role", "extauthz-profile-controller-events");

        Assert.Equal("default", role.Namespace);
        Assert.Equal(["/events:create", "/events:patch"], Grants(role).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("livenessProbe", "/healthz")]
    [InlineData("readinessProbe", "/readyz")]
    public void Probes_Container_PointAtTheConfiguredOpsPort(string probe, string path)
    {
        var deployment = Deployment();
        var container = Assert.Single(deployment.Items("spec.template.spec.containers"));

        Assert.Equal(path, container.Str($"{probe}.httpGet.path"));
        Assert.Equal(Env("Controller__OpsPort"), container.Str($"{probe}.httpGet.port"));
    }

    [Fact]
    public void Service_Selector_SelectsThePodsOpsPort()
    {
        var rendering = Render();
        var service = rendering.Single("Service");
        var pod = Deployment().Root.Labels("spec.template.metadata.labels");

        Assert.True(Yaml.Selects(service.Root.Labels("spec.selector"), pod));
        Assert.Equal("http-ops", Assert.Single(service.Items("spec.ports")).Str("targetPort"));
    }

    [Fact]
    public void LabelsFile_Mount_IsWhereTheConfigurationReadsIt()
    {
        var deployment = Deployment();
        var container = Assert.Single(deployment.Items("spec.template.spec.containers"));
        var mount = Assert.Single(container.Items("volumeMounts"));
        var volume = Assert.Single(deployment.Items("spec.template.spec.volumes"));
        var configured = Env("Controller__NamespaceLabelsFile")!;

        Assert.Equal(Path.GetDirectoryName(configured), mount.Str("mountPath"));
        Assert.Equal(mount.Str("name"), volume.Str("name"));
        Assert.Equal(Path.GetFileName(configured), Assert.Single(volume.Items("configMap.items")).Str("path"));
        Assert.Contains(Render().OfKind("ConfigMap"), c => c.Name == volume.Str("configMap.name")
            && c.Root.At("data") is YamlDotNet.RepresentationModel.YamlMappingNode data
            && data.Children.ContainsKey(new YamlDotNet.RepresentationModel.YamlScalarNode(Path.GetFileName(configured))));
    }
}
