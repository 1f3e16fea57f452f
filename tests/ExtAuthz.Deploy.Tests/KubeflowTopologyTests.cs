namespace ExtAuthz.Deploy.Tests;

/// <summary>
/// What each Kubeflow topology keeps and removes of kubeflow/manifests (the table of istio/README.md), its login,
/// its Istio range, and the optional machine-to-machine component.
/// </summary>
public sealed class KubeflowTopologyTests
{
    private const string Gateway = "istio-ingressgateway";

    private static Rendering Render(string name) => Kubectl.Kustomize(Layout.KubeflowRender(name));

    /// <summary>The README's table: topology, Kubeflow object, whether it is still rendered.</summary>
    public static TheoryData<string, string, string?, string, bool> StaysOrGoes()
    {
        var data = new TheoryData<string, string, string?, string, bool>();
        (string Kind, string? Ns, string Name)[] oauth2Proxy =
        [
            ("Deployment", "oauth2-proxy", "oauth2-proxy"), ("Service", "oauth2-proxy", "oauth2-proxy"),
            ("VirtualService", "oauth2-proxy", "oauth2-proxy"),
        ];
        (string Kind, string? Ns, string Name)[] oauth2ProxyInert =
        [
            ("Namespace", null, "oauth2-proxy"), ("ConfigMap", "oauth2-proxy", "oauth2-proxy-parameters"),
            ("Secret", "oauth2-proxy", "oauth2-proxy"), ("NetworkPolicy", "oauth2-proxy", "allow-istio-ingressgateway"),
        ];
        (string Kind, string? Ns, string Name)[] gatewayJwt =
        [
            ("AuthorizationPolicy", "istio-system", "istio-ingressgateway-oauth2-proxy"),
            ("AuthorizationPolicy", "istio-system", "istio-ingressgateway-require-jwt"),
            ("RequestAuthentication", "istio-system", "dex-jwt"),
        ];
        (string Kind, string? Ns, string Name)[] always =
        [
            ("AuthorizationPolicy", "istio-system", "global-deny-all"), ("Deployment", "auth", "dex"),
            ("NetworkPolicy", "auth", "allow-istio-and-oauth2-proxy"), ("Deployment", "kubeflow", "profiles-deployment"),
        ];
        foreach (var (kind, ns, name) in oauth2Proxy)
        {
            data.Add("gateway-login", kind, ns, name, false);
            data.Add("gateway-iap", kind, ns, name, true);
            data.Add("sidecar", kind, ns, name, true);
        }

        foreach (var (kind, ns, name) in gatewayJwt)
        {
            data.Add("gateway-login", kind, ns, name, false);
            data.Add("gateway-iap", kind, ns, name, false);
            data.Add("sidecar", kind, ns, name, true);
        }

        foreach (var topology in Layout.KubeflowTopologies)
        {
            foreach (var (kind, ns, name) in always.Concat(oauth2ProxyInert))
            {
                data.Add(topology, kind, ns, name, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StaysOrGoes))]
    public void Render_KubeflowObject_StaysOrGoes(string topology, string kind, string? ns, string name, bool stays)
    {
        var found = Render(topology).Find(kind, ns, name);

        Assert.True(stays == (found is not null), $"{topology}: {kind} {ns}/{name} should {(stays ? "stay" : "go")}");
    }

    public static TheoryData<string, int> GatewayProviders => new()
    {
        { "gateway-login", 1 },
        { "gateway-iap", 1 },
        { "sidecar", 1 },
        { "sidecar-istio-1.30", 2 },
    };

    /// <summary>
    /// Before Istio 1.30 a workload takes one CUSTOM provider (istiod denies what two would cover), so only the
    /// Istio 1.30 component may put a second one on the gateway, and it turns on istiod's switch for it.
    /// </summary>
    [Theory]
    [MemberData(nameof(GatewayProviders))]
    public void GatewayCustomProviders_Render_OnlyIstio130AddsASecond(string render, int expected)
    {
        var rendering = Render(render);
        var providers = rendering.CustomPolicies()
            .Where(p => p.Namespace == Layout.IstioRootNamespace && p.Root.Labels("spec.selector.matchLabels").GetValueOrDefault("app") == Gateway)
            .Select(p => p.Str("spec.provider.name"))
            .ToList();
        var istiod = rendering.Single("Deployment", Layout.IstioRootNamespace, "istiod");
        var multiple = istiod.Items("spec.template.spec.containers").Single(c => c.Str("name") == "discovery").Items("env")
            .Any(e => e.Str("name") == "PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS" && e.Str("value") == "true");

        Assert.Equal(expected, providers.Count);
        Assert.Equal(expected, providers.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected > 1, multiple);
    }

    [Fact]
    public void Login_GatewayLogin_OidcKeysAndAMountedClientSecret()
    {
        var rendering = Render("gateway-login");
        var config = rendering.OfKind("ConfigMap").Single(c => c.Name.StartsWith("extauthz-config", StringComparison.Ordinal));
        var pod = rendering.ExtAuthzDeployment().Root.At("spec.template.spec")!;
        var secretFile = config.Str("data.Login__Oidc__ClientSecretFile");
        var mount = Assert.Single(Assert.Single(pod.Items("containers")).Items("volumeMounts"), m => secretFile?.StartsWith(m.Str("mountPath") + "/", StringComparison.Ordinal) == true);
        var volume = Assert.Single(pod.Items("volumes"), v => v.Str("name") == mount.Str("name"));

        Assert.Equal("http://dex.auth.svc.cluster.local:5556/dex", config.Str("data.Login__Oidc__Issuer"));
        Assert.Equal(config.Str("data.Identity__Issuers__0__Issuer"), config.Str("data.Login__Oidc__Issuer"));
        Assert.Equal("kubeflow-oidc-authservice", config.Str("data.Login__Oidc__ClientId"));
        Assert.Equal("/dex/auth", config.Str("data.Login__Oidc__AuthorizationEndpoint"));
        Assert.Equal("/oauth2/callback", config.Str("data.Login__Oidc__RedirectUri"));
        Assert.Equal("true", mount.Str("readOnly"));
        var secret = rendering.Single("Secret", rendering.ExtAuthzDeployment().Namespace, volume.Str("secret.secretName")!);
        Assert.Equal(Path.GetFileName(secretFile), Assert.Single(volume.Items("secret.items")).Str("path"));
        Assert.NotNull(secret.Str($"stringData.{Assert.Single(volume.Items("secret.items")).Str("key")}"));
    }

    [Fact]
    public void OwnSettings_ComponentAfterTopology_MergesIntoTheGeneratedConfig()
    {
        var rendering = Render("gateway-iap-own-settings");
        var config = rendering.OfKind("ConfigMap").Single(c => c.Name.StartsWith("extauthz-config", StringComparison.Ordinal));
        var envFrom = Assert.Single(Assert.Single(rendering.ExtAuthzDeployment().Items("spec.template.spec.containers")).Items("envFrom"));

        Assert.Equal("/projects/123456789/global/backendServices/987654321", config.Str("data.Identity__Issuers__0__Audiences__0"));
        Assert.Equal("admin@example.com", config.Str("data.Policy__ClusterAdmins__0"));
        Assert.Equal("https://cloud.google.com/iap", config.Str("data.Identity__Issuers__0__Issuer"));
        Assert.Equal(config.Name, envFrom.Str("configMapRef.name"));
    }

    public static TheoryData<string, bool> LoginPathsChecked => new()
    {
        { "gateway-login", true },
        { "gateway-iap", false },
    };

    [Theory]
    [MemberData(nameof(LoginPathsChecked))]
    public void GatewayPolicy_Topology_SendsOAuth2PathsToUsOnlyWithOurLogin(string topology, bool ours)
    {
        var policy = Render(topology).Single("AuthorizationPolicy", Layout.IstioRootNamespace, "istio-ingressgateway-extauthz");
        var skipped = policy.Items("spec.rules").SelectMany(r => r.Items("to")).SelectMany(t => t.Strings("operation.notPaths")).ToList();

        Assert.Contains("/dex/*", skipped);
        Assert.Equal(!ours, skipped.Contains("/oauth2/*"));
    }

    /// <summary>
    /// Where the gateway still runs jwt_authn (sidecar), Kubeflow's m2m-token-issuer must stay or ServiceAccount tokens
    /// are refused there; where ExtAuthz decides at the gateway, it must go or Dex tokens are.
    /// </summary>
    public static TheoryData<string, bool> ServiceAccountRenders => new()
    {
        { "gateway-login-m2m", false },
        { "sidecar-m2m", true },
    };

    [Theory]
    [MemberData(nameof(ServiceAccountRenders))]
    public void ServiceAccountTokens_Component_SecondIssuerByKubernetesSubject(string render, bool kubeflowRequestAuthenticationStays)
    {
        var rendering = Render(render);
        var config = rendering.OfKind("ConfigMap").Single(c => c.Name.StartsWith("extauthz-config", StringComparison.Ordinal));
        var proxy = rendering.Single("Service", Layout.IstioRootNamespace, "cluster-jwks-proxy");
        var admitting = rendering.OfKind("NetworkPolicy").Where(p => p.Namespace == Layout.IstioRootNamespace
            && Yaml.Selects(p.Root.Labels("spec.podSelector.matchLabels"), proxy.Root.Labels("spec.selector")));

        Assert.Equal("https://kubernetes.default.svc.cluster.local", config.Str("data.Identity__Issuers__1__Issuer"));
        Assert.Equal("sub", config.Str("data.Identity__Issuers__1__UserClaim"));
        Assert.Equal("pipelines.kubeflow.org", config.Str("data.Identity__Issuers__1__Audiences__0"));
        Assert.Equal($"http://{proxy.Name}.{proxy.Namespace}.svc.cluster.local/openid/v1/jwks", config.Str("data.Identity__Issuers__1__JwksUri"));
        Assert.Equal("http://dex.auth.svc.cluster.local:5556/dex", config.Str("data.Identity__Issuers__0__Issuer"));
        Assert.NotEmpty(admitting);
        Assert.Equal(kubeflowRequestAuthenticationStays, rendering.Find("RequestAuthentication", Layout.IstioRootNamespace, "m2m-token-issuer") is not null);
    }
}
