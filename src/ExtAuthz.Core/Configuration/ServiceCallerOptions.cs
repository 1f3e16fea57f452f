namespace ExtAuthz.Core.Configuration;

/// <summary>
/// <c>Policy:ServiceCallers:N</c>: a workload principal (Istio form, <c>cluster.local/ns/&lt;ns&gt;/sa/&lt;sa&gt;</c>) allowed
/// without a user token on these methods and Istio-style paths (exact, <c>prefix*</c>, <c>*suffix</c>).
/// </summary>
public sealed class ServiceCallerOptions
{
    public string Principal { get; set; } = string.Empty;

    /// <summary>Empty means any method.</summary>
    public List<string> Methods { get; set; } = [];

    /// <summary>Empty means any path.</summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>Kubeflow's culling probe: the notebook controller reads kernels in every profile namespace.</summary>
    public static IEnumerable<ServiceCallerOptions> Defaults() =>
    [
        new()
        {
            Principal = "cluster.local/ns/kubeflow/sa/notebook-controller-service-account",
            Methods = ["GET"],
            Paths = ["*/api/kernels"],
        },
    ];
}
