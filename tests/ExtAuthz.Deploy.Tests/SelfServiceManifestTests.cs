namespace ExtAuthz.Deploy.Tests;

/// <summary>
/// The workspace API's component (istio/components/self-service, rendered through istio/overlays/gateway-self-service):
/// exactly the writes it needs, `bind` only on the roles members may get, and the ValidatingAdmissionPolicy that holds
/// our service account's writes to profile namespaces, those roles and one User subject. The policy's CEL is checked
/// for what it names here; the API server evaluates it.
/// </summary>
public sealed class SelfServiceManifestTests
{
    private const string Overlay = "istio/overlays/gateway-self-service";

    private static Rendering Render() => Kubectl.Kustomize(Overlay);

    [Fact]
    public void ClusterRole_Writes_OnlyProfilesRoleBindingsAndBindOnTwoRoles()
    {
        var role = Render().Single("ClusterRole", "extauthz-selfservice");

        var grants = role.Items("rules")
            .SelectMany(rule =>
                from apiGroup in rule.Strings("apiGroups")
                from resource in rule.Strings("resources")
                from verb in rule.Strings("verbs")
                select $"{apiGroup}/{resource}:{verb}:{string.Join(',', rule.Strings("resourceNames"))}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "kubeflow.org/profiles:create:",
                "kubeflow.org/profiles:delete:",
                "rbac.authorization.k8s.io/clusterroles:bind:kubeflow-edit,kubeflow-view",
                "rbac.authorization.k8s.io/rolebindings:create:",
                "rbac.authorization.k8s.io/rolebindings:delete:",
            ],
            grants);
    }

    [Fact]
    public void ClusterRoles_Together_NeverEscalateImpersonateOrTouchClusterBindings()
    {
        var verbs = Render().OfKind("ClusterRole").SelectMany(r => r.Items("rules"))
            .SelectMany(rule => from resource in rule.Strings("resources") from verb in rule.Strings("verbs") select $"{resource}:{verb}")
            .ToList();

        Assert.DoesNotContain(verbs, v => v.EndsWith(":escalate", StringComparison.Ordinal) || v.EndsWith(":impersonate", StringComparison.Ordinal) || v.EndsWith(":*", StringComparison.Ordinal));
        Assert.DoesNotContain(verbs, v => v.StartsWith("clusterrolebindings:", StringComparison.Ordinal) || v.StartsWith("namespaces:create", StringComparison.Ordinal) || v.StartsWith("*:", StringComparison.Ordinal));
    }

    [Fact]
    public void ClusterRoleBinding_Subject_IsTheDeploymentServiceAccount()
    {
        var rendering = Render();
        var deployment = rendering.ExtAuthzDeployment();
        var subject = Assert.Single(rendering.Single("ClusterRoleBinding", "extauthz-selfservice").Items("subjects"));

        Assert.Equal(("ServiceAccount", deployment.Str("spec.template.spec.serviceAccountName"), deployment.Namespace),
            (subject.Str("kind"), subject.Str("name"), subject.Str("namespace")));
    }

    [Fact]
    public void AdmissionPolicy_MatchesOurServiceAccountOnly_AndIsBoundToDeny()
    {
        var rendering = Render();
        var deployment = rendering.ExtAuthzDeployment();
        var policy = rendering.Single("ValidatingAdmissionPolicy");
        var binding = rendering.Single("ValidatingAdmissionPolicyBinding");

        var condition = Assert.Single(policy.Items("spec.matchConditions"));
        Assert.Equal($"request.userInfo.username == 'system:serviceaccount:{deployment.Namespace}:{deployment.Str("spec.template.spec.serviceAccountName")}'",
            condition.Str("expression"));
        Assert.Equal("Fail", policy.Str("spec.failurePolicy"));
        Assert.Equal(policy.Name, binding.Str("spec.policyName"));
        Assert.Equal(["Deny"], binding.Root.Strings("spec.validationActions"));
        var resources = policy.Items("spec.matchConstraints.resourceRules").SelectMany(r => r.Strings("resources")).Order();
        Assert.Equal(["profiles", "rolebindings"], resources);
    }

    [Theory]
    [InlineData("app.kubernetes.io/part-of")]
    [InlineData("kubeflow-profile")]
    [InlineData("['kubeflow-edit', 'kubeflow-view']")]
    [InlineData("size(variables.subject.subjects) == 1")]
    [InlineData("subjects[0].kind == 'User'")]
    [InlineData("object.metadata.annotations['user'] == object.subjects[0].name")]
    [InlineData("object.spec.owner.kind == 'User'")]
    [InlineData("startsWith('kube-')")]
    [InlineData("startsWith('istio-')")]
    public void AdmissionPolicy_Validations_NameEachRestriction(string fragment)
    {
        var expressions = Render().Single("ValidatingAdmissionPolicy").Items("spec.validations").Select(v => v.Str("expression") ?? "");

        Assert.Contains(expressions, e => e.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void ApiPort_ConfiguredExposedAndOpenOnlyToGatewayAndDashboard()
    {
        var rendering = Render();
        var config = rendering.Single("ConfigMap");
        var service = rendering.Single("Service", "extauthz");
        var container = rendering.ExtAuthzDeployment().Items("spec.template.spec.containers").Single(c => c.Str("name") == "extauthz");
        var allow = rendering.Single("AuthorizationPolicy", "extauthz-allow-api");

        Assert.Equal("true", config.Str("data.SelfService__Enabled"));
        Assert.Contains(service.Items("spec.ports"), p => p.Str("port") == "8081" && p.Str("targetPort") == "http-api");
        Assert.Contains(container.Items("ports"), p => p.Str("name") == "http-api" && p.Str("containerPort") == "8081");
        Assert.Contains(container.Items("env"), e => e.Str("name") == "Server__ApiPort" && e.Str("value") == "8081");
        var rule = Assert.Single(allow.Items("spec.rules"));
        Assert.Equal(
            ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account", "cluster.local/ns/kubeflow/sa/centraldashboard", "cluster.local/ns/kubeflow/sa/dashboard"],
            rule.Items("from").SelectMany(f => f.Strings("source.principals")));
        Assert.Equal(["8081"], rule.Items("to").SelectMany(t => t.Strings("operation.ports")));
    }

    [Fact]
    public void VirtualService_RoutesTheWorkgroupApiAndTheSharingPageToTheApiPort()
    {
        var service = Render().Single("VirtualService", "extauthz-workgroup");

        var route = Assert.Single(service.Items("spec.http"));
        Assert.Equal(["prefix /api/workgroup/", "exact /workspaces", "prefix /workspaces/"],
            route.Items("match").Select(m => m.Str("uri.prefix") is { } prefix ? $"prefix {prefix}" : $"exact {m.Str("uri.exact")}"));
        var destination = Assert.Single(route.Items("route"));
        Assert.Equal(("extauthz.extauthz-system.svc.cluster.local", "8081"), (destination.Str("destination.host"), destination.Str("destination.port.number")));
    }

    [Fact]
    public void IstioPoliciesComponent_AddsOnlyAuthorizationPolicyWritesAndTurnsThemOn()
    {
        var rendering = Kubectl.Kustomize("tests/ExtAuthz.Deploy.Tests/SelfServiceIstioPolicies");
        var role = rendering.Single("ClusterRole", "extauthz-selfservice-istio-policies");
        var binding = rendering.Single("ClusterRoleBinding", "extauthz-selfservice-istio-policies");

        var grants = role.Items("rules").SelectMany(rule =>
            from apiGroup in rule.Strings("apiGroups")
            from resource in rule.Strings("resources")
            from verb in rule.Strings("verbs")
            select $"{apiGroup}/{resource}:{verb}");
        Assert.Equal(["security.istio.io/authorizationpolicies:create", "security.istio.io/authorizationpolicies:delete"], grants);
        Assert.Equal(("extauthz-selfservice-istio-policies", "extauthz", "extauthz-system"),
            (binding.Str("roleRef.name"), binding.Items("subjects").Single().Str("name"), binding.Items("subjects").Single().Str("namespace")));
        Assert.Equal("true", rendering.Single("ConfigMap").Str("data.SelfService__IstioPolicies"));
        Assert.Null(Render().Single("ConfigMap").Str("data.SelfService__IstioPolicies"));
    }

    [Fact]
    public void GatewayOverlay_TrustsTheGatewaysHeaderBesideTheDashboards()
    {
        var config = Render().Single("ConfigMap");

        string[] expected = ["cluster.local/ns/kubeflow/sa/centraldashboard", "cluster.local/ns/kubeflow/sa/dashboard", Layout.GatewayPrincipal];
        Assert.Equal(expected, Enumerable.Range(0, 3).Select(i => config.Str($"data.SelfService__TrustedCallers__{i}") ?? ""));
    }

    [Fact]
    public void Base_WithoutTheComponent_StaysReadOnly()
    {
        var rendering = Kubectl.Kustomize("istio/base");

        Assert.DoesNotContain(rendering.OfKind("ClusterRole"), r => r.Name == "extauthz-selfservice");
        Assert.Empty(rendering.OfKind("ValidatingAdmissionPolicy"));
    }
}
