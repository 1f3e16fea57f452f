using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Access;

/// <summary>
/// A workload allowed without a user token on some methods and paths (<c>Policy:ServiceCallers</c>), as Kubeflow's
/// <c>ns-owner-access-istio</c> lets the notebook controller <c>GET */api/kernels</c>. Principals are compared in
/// Istio's form without the scheme; paths use Istio's operators: exact, <c>prefix*</c>, <c>*suffix</c> or <c>*</c>,
/// matched on the normalised path.
/// </summary>
public sealed class ServiceCallerRule
{
    private readonly string _principal;
    private readonly string[] _methods;
    private readonly string[] _paths;

    public ServiceCallerRule(string principal, IEnumerable<string> methods, IEnumerable<string> paths)
    {
        _principal = SpiffeId.WithoutScheme(principal).ToString();
        _methods = [.. methods];
        _paths = [.. paths];
        Detail = $"service caller {_principal} on {(_methods.Length == 0 ? "any method" : string.Join('|', _methods))} {(_paths.Length == 0 ? "*" : string.Join('|', _paths))}";
    }

    /// <summary>The reason text of an allow by this rule.</summary>
    public string Detail { get; }

    public bool Matches(string sourcePrincipal, string method, ReadOnlySpan<char> path)
    {
        if (!SpiffeId.WithoutScheme(sourcePrincipal).SequenceEqual(_principal))
        {
            return false;
        }

        return (_methods.Length == 0 || Array.IndexOf(_methods, method) >= 0) && (_paths.Length == 0 || AnyPath(path));
    }

    private bool AnyPath(ReadOnlySpan<char> path)
    {
        foreach (var pattern in _paths)
        {
            if (PathMatches(pattern, path))
            {
                return true;
            }
        }

        return false;
    }

    // "*" alone is the suffix rule with an empty suffix: every path ends with it.
    private static bool PathMatches(string pattern, ReadOnlySpan<char> path)
    {
        if (pattern.StartsWith('*'))
        {
            return path.EndsWith(pattern.AsSpan(1), StringComparison.Ordinal);
        }

        if (pattern.EndsWith('*'))
        {
            return path.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal);
        }

        return path.SequenceEqual(pattern);
    }
}
