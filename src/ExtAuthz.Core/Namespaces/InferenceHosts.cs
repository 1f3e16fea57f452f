namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// KServe inference hosts (<c>Policy:InferenceHostTemplates</c> under <c>Policy:KServeDomains</c>, and always the
/// cluster-local <c>svc.cluster.local</c>): a host names a namespace only when a way it fits a template names a profile
/// namespace, so the dashboard's own host under the same domain (<c>kubeflow.example.com</c>) names none; a host that
/// fits two profile namespaces is a conflict; <c>Policy:DashboardHosts</c> are never read.
/// </summary>
public sealed class InferenceHosts
{
    private const string Rule = "inference host";
    private const string ClusterLocal = "svc.cluster.local";
    private const int MaxSplits = 16;

    private readonly HostTemplate[] _templates;
    private readonly string[] _domains;
    private readonly string[] _dashboardHosts;

    public InferenceHosts(IEnumerable<HostTemplate> templates, IEnumerable<string> domains, IEnumerable<string> dashboardHosts)
    {
        _templates = [.. templates];
        _domains = [.. domains.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Append(ClusterLocal).Distinct(StringComparer.Ordinal)];
        _dashboardHosts = [.. dashboardHosts.Select(h => h.Trim().TrimEnd('.').ToLowerInvariant())];
        Text = $"{string.Join(" | ", _templates.Select(t => t.Text))} with domain {string.Join(" | ", _domains)}";
    }

    public string Text { get; }

    public NamespaceCandidate Match(string host, IProfileNamespaces? profiles)
    {
        if (_templates.Length == 0 || host.Length == 0 || profiles is null)
        {
            return NamespaceCandidate.None;
        }

        var name = StripPort(host).TrimEnd('.');
        if (name.ContainsAnyInRange('A', 'Z'))
        {
            // Host names are case-insensitive; templates and namespaces are lower-case. Rare enough to copy.
            host = name.ToString().ToLowerInvariant();
            name = host;
        }

        foreach (var dashboard in _dashboardHosts)
        {
            if (name.SequenceEqual(dashboard))
            {
                return NamespaceCandidate.None;
            }
        }

        var result = NamespaceCandidate.None;
        Span<Range> found = stackalloc Range[MaxSplits];
        foreach (var domain in _domains)
        {
            if (name.Length <= domain.Length + 1 || !name.EndsWith(domain, StringComparison.Ordinal) || name[^(domain.Length + 1)] != '.')
            {
                continue;
            }

            // The labels start where the host does (only a port and a trailing dot were cut), so a range in them is one in host.
            var labels = name[..^(domain.Length + 1)];
            foreach (var template in _templates)
            {
                var count = template.Match(labels, found);
                if (count > found.Length)
                {
                    // More ways to fit than are read: which one names a profile is unknown, so the host is refused
                    // (fail closed), never read as naming no namespace.
                    return NamespaceCandidate.Invalid(host.AsMemory(0, labels.Length), Rule, NamespaceSource.Host);
                }

                for (var i = 0; i < count; i++)
                {
                    var (start, length) = found[i].GetOffsetAndLength(labels.Length);
                    if (!profiles.IsProfileNamespace(labels.Slice(start, length)))
                    {
                        continue;
                    }

                    result = NamespaceCombiner.Combine(result, NamespaceCandidate.Found(host.AsMemory(start, length), Rule, NamespaceSource.Host));
                    if (result.Outcome == NamespaceOutcome.Conflict)
                    {
                        return result;
                    }
                }
            }
        }

        return result;
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
