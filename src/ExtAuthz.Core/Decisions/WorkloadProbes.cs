using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Decisions;

/// <summary>
/// The probe paths Kubeflow leaves open at its workloads (<c>Policy:ProbePaths</c>, exact: <c>/healthz</c>,
/// <c>/metrics</c>, <c>/wait-for-drain</c>, for Knative's activator and for scrapers inside the mesh). Open only where
/// Kubeflow opens them — at a workload's own sidecar (the Check names a SPIFFE destination that is not a gateway) and
/// never for a request a gateway relays (the source is one of <c>Policy:GatewayPrincipals</c>). So a model server's or
/// a notebook's <c>/metrics</c> reached through the ingress gateway needs a user with access, like any other path.
/// </summary>
public sealed class WorkloadProbes
{
    private const string SpiffeScheme = "spiffe://";

    private readonly PathPatternSet _paths;
    private readonly string[] _gatewayPrincipals;

    public WorkloadProbes(PathPatternSet paths, IEnumerable<string> gatewayPrincipals)
    {
        _paths = paths;
        _gatewayPrincipals = [.. gatewayPrincipals.Select(p => SpiffeId.WithoutScheme(p).ToString())];
    }

    public static WorkloadProbes None { get; } = new(PathPatternSet.Empty, []);

    /// <summary>True when <paramref name="path"/> is a probe path asked at a workload by a caller that is not a gateway.</summary>
    public bool Allows(CheckInput input, in NormalizedPath path) =>
        !path.IsAmbiguous
        && _paths.Matches(path.Path.Span)
        && input.DestinationPrincipal.StartsWith(SpiffeScheme, StringComparison.Ordinal)
        && !IsGateway(input.DestinationPrincipal)
        && !IsGateway(input.SourcePrincipal);

    private bool IsGateway(string principal)
    {
        var id = SpiffeId.WithoutScheme(principal);
        foreach (var gateway in _gatewayPrincipals)
        {
            if (id.SequenceEqual(gateway))
            {
                return true;
            }
        }

        return false;
    }
}
