namespace ExtAuthz.Deploy.Tests;

/// <summary>
/// Every Kubeflow object a topology patches or removes must exist: rendered on a copy of the stand-in without it,
/// the topology fails and names it. Objects a topology leaves alone may be absent.
/// </summary>
public sealed class KubeflowTargetTests
{
    private static readonly string[] Everyone = ["istiod-deployment.yaml", "root-sidecar.yaml", "profiles-deployment.yaml", "namespace-labels-data.yaml", "profiles-crd.yaml"];

    private static readonly string[] GatewayJwt = ["oauth2-proxy-policy.yaml", "require-jwt-policy.yaml", "dex-jwt.yaml"];

    /// <summary>Topology, stand-in file left out, and the object name the error must carry (null: the render succeeds).</summary>
    public static TheoryData<string, string, string?> LeftOut()
    {
        var data = new TheoryData<string, string, string?>();
        foreach (var topology in Layout.KubeflowTopologies)
        {
            foreach (var file in Everyone)
            {
                data.Add(topology, file, NameIn(file));
            }
        }

        foreach (var topology in new[] { "gateway-login", "gateway-iap" })
        {
            foreach (var file in GatewayJwt)
            {
                data.Add(topology, file, NameIn(file));
            }
        }

        // gateway-login removes oauth2-proxy's running parts and leaves the inert rest alone.
        string[] running = ["oauth2-proxy-deployment-oauth2-proxy.yaml", "oauth2-proxy-service-oauth2-proxy.yaml", "oauth2-proxy-virtualservice-oauth2-proxy.yaml"];
        foreach (var file in Directory.EnumerateFiles(StandIn, "oauth2-proxy-*.yaml").Select(f => Path.GetFileName(f)!).Where(f => f != "oauth2-proxy-policy.yaml"))
        {
            data.Add("gateway-login", file, running.Contains(file) ? NameIn(file) : null);
            data.Add("gateway-iap", file, null);
        }

        foreach (var file in GatewayJwt)
        {
            data.Add("sidecar", file, null);
        }

        data.Add("gateway-login", "dex-network-policy.yaml", null);
        data.Add("sidecar", "global-deny-all.yaml", null);
        return data;
    }

    private static string StandIn => RepoRoot.Combine($"{Layout.KubeflowTestData}/stand-in");

    /// <summary>How kustomize names the object of <paramref name="file"/> in its errors: <c>name.namespace</c>.</summary>
    private static string NameIn(string file) =>
        Yaml.LoadObjects(File.ReadAllText(Path.Combine(StandIn, file)))[0] is var o ? $"{o.Name}.{o.Namespace ?? "[noNs]"}" : "";

    [Theory]
    [MemberData(nameof(LeftOut))]
    public void Render_StandInWithoutObject_FailsNamingItWhenPatched(string topology, string leftOut, string? expectedName)
    {
        var folder = CopyStandInWithout(topology, leftOut);
        try
        {
            var (succeeded, _, error) = Kubectl.TryKustomize(Path.GetRelativePath(RepoRoot.Path, folder));

            if (expectedName is null)
            {
                Assert.True(succeeded, $"{topology} without {leftOut} should still render: {error}");
            }
            else
            {
                Assert.False(succeeded, $"{topology} rendered without {leftOut}, which it patches");
                Assert.Contains("no resource matches strategic merge patch", error, StringComparison.Ordinal);
                Assert.Contains($"/{expectedName}", error, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("gateway-login")]
    [InlineData("gateway-iap")]
    public void Render_WithoutM2mComponentOnDexOnlyInstall_FailsNamingTheRequestAuthentication(string topology)
    {
        // without-m2m-request-authentication is for installations with Kubeflow's m2m-dex-and-kind/-eks overlays only.
        var folder = CopyStandInWithout(topology, leftOut: null, "components/without-m2m-request-authentication");
        try
        {
            var (succeeded, _, error) = Kubectl.TryKustomize(Path.GetRelativePath(RepoRoot.Path, folder));

            Assert.False(succeeded);
            Assert.Contains("/m2m-token-issuer.istio-system", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A throw-away kustomization under obj/ (inside the repository, as kustomize wants relative component paths).</summary>
    private static string CopyStandInWithout(string topology, string? leftOut, params string[] extraComponents)
    {
        var folder = RepoRoot.Combine($"tests/ExtAuthz.Deploy.Tests/obj/kubeflow-targets/{topology}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var files = Directory.EnumerateFiles(StandIn, "*.yaml")
            .Select(Path.GetFileName)
            .Where(f => f != "kustomization.yaml" && f != leftOut)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in files)
        {
            File.Copy(Path.Combine(StandIn, file!), Path.Combine(folder, file!));
        }

        string Relative(string repoPath) => Path.GetRelativePath(folder, RepoRoot.Combine(repoPath)).Replace('\\', '/');
        var components = new[] { $"istio/kubeflow/{topology}" }.Concat(extraComponents.Select(c => $"istio/kubeflow/{c}"));
        File.WriteAllText(Path.Combine(folder, "kustomization.yaml"),
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + string.Concat(files.Select(f => $"- {f}\n"))
            + "components:\n"
            + string.Concat(components.Select(c => $"- {Relative(c)}\n")));
        return folder;
    }
}
