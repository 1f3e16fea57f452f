using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

/// <summary>The shared store for more than one replica (istio/components/redis), as the example renders it.</summary>
public sealed class RedisComponentTests
{
    private const string Folder = "istio/examples/replicated-with-redis";

    private static Rendering Render() => Kubectl.Kustomize(Folder);

    private static YamlNode Store() =>
        Assert.Single(Render().Single("StatefulSet", "extauthz-redis").Items("spec.template.spec.containers"));

    private static string Arg(YamlNode container, string flag)
    {
        var args = container.Strings("args").ToList();
        var at = args.IndexOf(flag);
        Assert.True(at >= 0 && at + 1 < args.Count, $"no {flag} among {string.Join(' ', args)}");
        return args[at + 1];
    }

    [Fact]
    public void Store_Persistence_AppendOnlyOnAClaimedVolume()
    {
        var statefulSet = Render().Single("StatefulSet", "extauthz-redis");
        var store = Store();
        var claim = Assert.Single(statefulSet.Items("spec.volumeClaimTemplates"));
        var mount = Assert.Single(store.Items("volumeMounts"), m => m.Str("name") == claim.Str("metadata.name"));

        Assert.Equal("yes", Arg(store, "--appendonly"));
        Assert.Equal(mount.Str("mountPath"), Arg(store, "--dir"));
    }

    [Fact]
    public void Store_Eviction_NeverTouchesKeysWithoutTtl()
    {
        Assert.Equal("volatile-ttl", Arg(Store(), "--maxmemory-policy"));
    }

    [Fact]
    public void Connection_ExtAuthz_NamesTheServiceWithThePasswordOfTheStore()
    {
        var rendering = Render();
        var service = rendering.Single("Service", "extauthz-redis");
        var port = Assert.Single(service.Items("spec.ports"));
        var env = Assert.Single(rendering.ExtAuthzDeployment().Items("spec.template.spec.containers")).Items("env").ToList();
        var connection = Assert.Single(env, e => e.Str("name") == "Redis__Configuration").Str("value")!;
        var passwordAt = env.FindIndex(e => e.Str("name") == "REDIS_PASSWORD");
        var storePassword = Assert.Single(Store().Items("env"), e => e.Str("name") == "REDIS_PASSWORD");

        Assert.StartsWith($"{service.Name}.{service.Namespace}.svc.cluster.local:{port.Str("port")},", connection, StringComparison.Ordinal);
        Assert.Contains(",password=$(REDIS_PASSWORD)", connection, StringComparison.Ordinal);
        Assert.Contains(",abortConnect=false", connection, StringComparison.Ordinal);
        // $(VAR) expands only a variable defined earlier in the list.
        Assert.InRange(passwordAt, 0, env.FindIndex(e => e.Str("name") == "Redis__Configuration") - 1);
        Assert.Equal(storePassword.Str("valueFrom.secretKeyRef.name"), env[passwordAt].Str("valueFrom.secretKeyRef.name"));
        Assert.Equal("$(REDIS_PASSWORD)", Arg(Store(), "--requirepass"));
        Assert.NotNull(rendering.Find("Secret", service.Namespace, storePassword.Str("valueFrom.secretKeyRef.name")!));
    }

    [Fact]
    public void Mesh_Store_OpenOnlyToExtAuthzOverPlainTcp()
    {
        var rendering = Render();
        var service = rendering.Single("Service", "extauthz-redis");
        var policy = rendering.Single("AuthorizationPolicy", "extauthz-redis");
        var account = rendering.ExtAuthzDeployment().Str("spec.template.spec.serviceAccountName");
        var rule = Assert.Single(policy.Items("spec.rules"));

        Assert.StartsWith("tcp-", Assert.Single(service.Items("spec.ports")).Str("name"), StringComparison.Ordinal);
        Assert.Equal("ALLOW", policy.Str("spec.action"));
        Assert.True(Yaml.Selects(policy.Root.Labels("spec.selector.matchLabels"), rendering.Single("StatefulSet", "extauthz-redis").Root.Labels("spec.template.metadata.labels")));
        Assert.Equal([$"cluster.local/ns/{service.Namespace}/sa/{account}"], Assert.Single(rule.Items("from")).Strings("source.principals"));
        Assert.Equal(["6379"], Assert.Single(rule.Items("to")).Strings("operation.ports"));
        Assert.All(new[] { service, policy }, o => Assert.Equal(rendering.ExtAuthzDeployment().Namespace, o.Namespace));
    }

    [Fact]
    public void Store_Container_NonRootReadOnly()
    {
        var pod = Render().Single("StatefulSet", "extauthz-redis").Root.At("spec.template.spec")!;
        var store = Store();

        Assert.Equal("true", pod.Str("securityContext.runAsNonRoot"));
        Assert.Equal("true", store.Str("securityContext.readOnlyRootFilesystem"));
        Assert.Equal(["ALL"], store.Strings("securityContext.capabilities.drop"));
    }
}
