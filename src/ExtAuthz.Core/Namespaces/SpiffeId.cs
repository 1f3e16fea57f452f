namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Reads the namespace out of an Istio workload identity, <c>spiffe://&lt;trust-domain&gt;/ns/&lt;ns&gt;/sa/&lt;sa&gt;</c>,
/// strictly: anything with another shape, extra segments or a namespace that is not a DNS label names no namespace.
/// </summary>
public static class SpiffeId
{
    private const string Scheme = "spiffe://";

    /// <summary>The namespace of <paramref name="principal"/> as a slice of it (no copy), or false.</summary>
    public static bool TryGetNamespace(string principal, out ReadOnlyMemory<char> ns)
    {
        ns = default;
        if (!principal.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        return TryGetNamespace(principal, Scheme.Length, out ns);
    }

    /// <summary>The Istio form without the scheme (<c>cluster.local/ns/kubeflow/sa/x</c>) of a principal.</summary>
    public static ReadOnlySpan<char> WithoutScheme(string principal) =>
        principal.StartsWith(Scheme, StringComparison.Ordinal) ? principal.AsSpan(Scheme.Length) : principal.AsSpan();

    /// <summary>
    /// A principal without its scheme and trust domain (<c>ns/kubeflow/sa/x</c>): how a catalogue's principal is compared
    /// with a destination, whatever trust domain the mesh uses.
    /// </summary>
    public static ReadOnlySpan<char> WorkloadPart(string principal)
    {
        var rest = WithoutScheme(principal);
        var slash = rest.IndexOf('/');
        return slash < 0 ? [] : rest[(slash + 1)..];
    }

    private static bool TryGetNamespace(string principal, int start, out ReadOnlyMemory<char> ns)
    {
        ns = default;
        var rest = principal.AsSpan(start);

        // trust-domain / "ns" / <ns> / "sa" / <sa>: exactly five non-empty segments, read left to right (this runs
        // for both principals of every Check, so no split into a range list).
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !rest[(slash + 1)..].StartsWith("ns/", StringComparison.Ordinal))
        {
            return false;
        }

        var nsStart = slash + 4;
        var nsLength = rest[nsStart..].IndexOf('/');
        if (nsLength < 0)
        {
            return false;
        }

        var sa = rest[(nsStart + nsLength + 1)..];
        if (!sa.StartsWith("sa/", StringComparison.Ordinal) || sa.Length == 3 || sa[3..].Contains('/')
            || !DnsLabel.IsValid(rest.Slice(nsStart, nsLength)))
        {
            return false;
        }

        ns = principal.AsMemory(start + nsStart, nsLength);
        return true;
    }
}
