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

        // trust-domain / "ns" / <ns> / "sa" / <sa>: exactly five non-empty segments.
        Span<Range> parts = stackalloc Range[6];
        var count = rest.Split(parts, '/');
        if (count != 5)
        {
            return false;
        }

        var trustDomain = rest[parts[0]];
        var nsName = rest[parts[2]];
        var sa = rest[parts[4]];
        if (trustDomain.IsEmpty || !rest[parts[1]].SequenceEqual("ns") || !rest[parts[3]].SequenceEqual("sa")
            || sa.IsEmpty || !DnsLabel.IsValid(nsName))
        {
            return false;
        }

        var (offset, length) = parts[2].GetOffsetAndLength(rest.Length);
        ns = principal.AsMemory(start + offset, length);
        return true;
    }
}
