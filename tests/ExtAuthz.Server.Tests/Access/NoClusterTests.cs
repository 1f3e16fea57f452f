using ExtAuthz.Server.Hosting;
using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.Access;

/// <summary>
/// The Kubernetes source with no cluster to reach (not in a pod, no kubeconfig) refuses to start: the client library's
/// fallback would be http://localhost:8080, this service's own ops port.
/// </summary>
public sealed class NoClusterTests
{
    [Fact]
    public async Task Process_KubernetesSourceWithoutKubeconfigOrPod_RefusesWithAClearMessage()
    {
        var home = Directory.CreateTempSubdirectory("extauthz-home-");
        try
        {
            var (exitCode, lines) = await RefusedStart.RunAsync(["--Policy:Source=Kubernetes"], new Dictionary<string, string?>
            {
                ["HOME"] = home.FullName,
                ["KUBECONFIG"] = null,
                ["KUBERNETES_SERVICE_HOST"] = null,
                ["KUBERNETES_SERVICE_PORT"] = null,
            });

            Assert.Equal(ExtAuthzHost.InvalidConfigurationExitCode, exitCode);
            Assert.Equal("Invalid configuration:", lines[0]);
            var line = Assert.Single(lines[1..]);
            Assert.StartsWith("Policy:Source: Kubernetes needs a cluster, and none was found: not in a pod", line, StringComparison.Ordinal);
            Assert.Contains($"no {home.FullName}/.kube/config", line, StringComparison.Ordinal);
            Assert.EndsWith("Run in a pod, set KUBECONFIG, or use --Policy:Source=Directory", line, StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
