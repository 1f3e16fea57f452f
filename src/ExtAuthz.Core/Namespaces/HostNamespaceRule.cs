using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Knative's <c>{{.Name}}.{{.Namespace}}.{{.Domain}}</c> hosts of KServe InferenceServices, only under the configured
/// domains (<c>Policy:KServeDomains</c>). A host under such a domain that has another shape names a value that is no
/// namespace, so it is denied rather than let through as "no namespace".
/// </summary>
public sealed class HostNamespaceRule : INamespaceRule
{
    private readonly string[] _domains;

    public HostNamespaceRule(IEnumerable<string> domains)
    {
        _domains = [.. domains.Select(d => "." + d.Trim().TrimEnd('.'))];
        Text = $"<name>.{{ns}}.({string.Join('|', _domains.Select(d => d[1..]))})";
    }

    public string Text { get; }

    public NamespaceCandidate Match(CheckInput input, in NormalizedPath path) => Match(input.Host);

    public NamespaceCandidate Match(string host)
    {
        if (_domains.Length == 0 || host.Length == 0)
        {
            return NamespaceCandidate.None;
        }

        var name = StripPort(host);
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        foreach (var domain in _domains)
        {
            if (name.Length <= domain.Length || !name.EndsWith(domain, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Exactly "<name>.<ns>" before the domain.
            var labels = name[..^domain.Length];
            var dot = labels.IndexOf('.');
            if (dot <= 0 || labels[(dot + 1)..].Contains('.'))
            {
                return NamespaceCandidate.Invalid(host.AsMemory(), Text);
            }

            var start = dot + 1;
            var ns = labels[start..];
            if (ns.ContainsAnyInRange('A', 'Z'))
            {
                // Host names are case-insensitive; namespaces are lower-case. Rare enough to copy.
                return NamespaceCandidate.Found(ns.ToString().ToLowerInvariant().AsMemory(), Text);
            }

            // name (and so labels) starts at the first character of host.
            return NamespaceCandidate.Found(host.AsMemory(start, ns.Length), Text);
        }

        return NamespaceCandidate.None;
    }

    private static ReadOnlySpan<char> StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        if (colon < 0 || host.Contains(']'))
        {
            return host;
        }

        return host.AsSpan(0, colon);
    }
}
