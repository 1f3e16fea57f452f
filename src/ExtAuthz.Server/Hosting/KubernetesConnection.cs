using ExtAuthz.Kubernetes;
using k8s;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// How the Kubernetes source reaches its API server: in-cluster in a pod, else <c>KUBECONFIG</c> or
/// <c>~/.kube/config</c>. A service of its own, so a host can be pointed at another API server without touching the
/// process environment (the end-to-end tests point it at their in-process one).
/// </summary>
internal sealed class KubernetesConnection
{
    public KubernetesConnection(Func<IKubernetes> create) => Create = create;

    public static KubernetesConnection Default { get; } = new(KubernetesIndexSource.CreateClient);

    /// <summary>Called on first use by the source; a failure (an unreadable kubeconfig) is retried and shown on <c>/readyz</c>.</summary>
    public Func<IKubernetes> Create { get; }

    /// <summary>
    /// Why the default connection has no cluster to talk to, or null when it has one. With none of the three, the client
    /// library would fall back to <c>http://localhost:8080</c>, which is this service's own ops port: refused at start.
    /// </summary>
    public static string? NoCluster()
    {
        if (KubernetesClientConfiguration.IsInCluster()
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG"))
            || File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
        {
            return null;
        }

        return "Policy:Source: Kubernetes needs a cluster, and none was found: not in a pod (KUBERNETES_SERVICE_HOST unset or no "
            + $"service-account token), KUBECONFIG unset, no {KubernetesClientConfiguration.KubeConfigDefaultLocation}. "
            + "Run in a pod, set KUBECONFIG, or use --Policy:Source=Directory";
    }
}
