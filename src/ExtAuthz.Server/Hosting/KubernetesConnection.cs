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

    /// <summary>Called on first use by the source; a failure (no configuration found) is retried and shown on <c>/readyz</c>.</summary>
    public Func<IKubernetes> Create { get; }
}
