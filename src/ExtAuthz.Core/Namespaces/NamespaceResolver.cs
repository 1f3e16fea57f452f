using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Step 6: which namespace a request targets. Each source is read in turn — the first path shape that matches,
/// the first query rule whose prefix matches, the KServe host, and the destination workload's namespace when
/// it is a profile — and every source that names one must name the same, otherwise the request is a conflict.
/// Reads the normalised path only; never allocates unless a value had to be percent-decoded.
/// </summary>
public sealed class NamespaceResolver
{
    /// <summary>The shapes Kubeflow's own routes use (reference: kubeflow.md §5), including post-rewrite forms.</summary>
    public static readonly IReadOnlyList<string> DefaultPathShapes =
    [
        "/notebook/{ns}/",
        "/tensorboard/{ns}/",
        "/pvcviewers/{ns}/",
        "/jupyter/api/namespaces/{ns}/",
        "/volumes/api/namespaces/{ns}/",
        "/tensorboards/api/namespaces/{ns}/",
        "/kserve-endpoints/api/namespaces/{ns}/",
        "/kserve-endpoints/api/sse/namespaces/{ns}/",
        "/api/namespaces/{ns}/",
        "/api/sse/namespaces/{ns}/",
        "/api/activities/{ns}",
        "/api/workgroup/*/{ns}",
        "/pipeline/apis/v2beta1/visualizations/{ns}",
        "/apis/v2beta1/visualizations/{ns}",
    ];

    private const string DestinationRule = "destination.principal";

    private readonly INamespaceRule[] _pathRules;
    private readonly INamespaceRule[] _queryRules;
    private readonly HostNamespaceRule? _hostRule;

    public NamespaceResolver(IEnumerable<INamespaceRule> pathRules, IEnumerable<INamespaceRule> queryRules, HostNamespaceRule? hostRule)
    {
        _pathRules = [.. pathRules];
        _queryRules = [.. queryRules];
        _hostRule = hostRule;
    }

    /// <summary>The Kubeflow defaults, then the configured extra rules, and the KServe domains.</summary>
    public static NamespaceResolver Create(IEnumerable<string> extraRules, IEnumerable<string> kserveDomains)
    {
        var paths = new List<INamespaceRule>(DefaultPathShapes.Select(PathNamespaceRule.Parse));
        var queries = new List<INamespaceRule>
        {
            new QueryNamespaceRule(PathPattern.Parse("/katib/"), ["namespace"]),
            new QueryNamespaceRule(PathPattern.Parse("/pipeline/"), ["namespace", "podnamespace"], resourceReferences: true),
            new QueryNamespaceRule(PathPattern.Parse("/apis/"), ["namespace"], resourceReferences: true),
            new QueryNamespaceRule(PathPattern.Parse("/kfam/v1/bindings"), ["namespace"]),
        };

        foreach (var text in extraRules)
        {
            var rule = NamespaceRuleParser.TryParse(text, out var error) ?? throw new FormatException(error);
            (rule is QueryNamespaceRule ? queries : paths).Add(rule);
        }

        var domains = kserveDomains.ToList();
        return new NamespaceResolver(paths, queries, domains.Count == 0 ? null : new HostNamespaceRule(domains));
    }

    public IEnumerable<string> Describe() =>
        _pathRules.Concat(_queryRules).Select(r => r.Text).Concat(_hostRule is null ? [] : [_hostRule.Text]).Append(DestinationRule);

    public NamespaceCandidate Resolve(CheckInput input, in NormalizedPath path, IProfileNamespaces? profiles)
    {
        var result = NamespaceCandidate.None;

        foreach (var rule in _pathRules)
        {
            var candidate = rule.Match(input, path);
            if (candidate.Outcome != NamespaceOutcome.None)
            {
                result = candidate;
                break;
            }
        }

        if (result.Outcome is NamespaceOutcome.Invalid)
        {
            return result;
        }

        foreach (var rule in _queryRules)
        {
            var candidate = rule.Match(input, path);
            if (candidate.Outcome != NamespaceOutcome.None)
            {
                if (!Combine(ref result, candidate))
                {
                    return result;
                }

                break;
            }
        }

        if (_hostRule is not null && !Combine(ref result, _hostRule.Match(input, path)))
        {
            return result;
        }

        if (profiles is not null && SpiffeId.TryGetNamespace(input.DestinationPrincipal, out var destination)
            && profiles.IsProfileNamespace(destination.Span))
        {
            Combine(ref result, NamespaceCandidate.Found(destination, DestinationRule));
        }

        return result;
    }

    /// <summary>Folds one more source in; false once the outcome is final (invalid or conflict).</summary>
    private static bool Combine(ref NamespaceCandidate result, in NamespaceCandidate next)
    {
        switch (next.Outcome)
        {
            case NamespaceOutcome.None:
                return true;
            case NamespaceOutcome.Invalid or NamespaceOutcome.Conflict:
                result = next;
                return false;
        }

        if (result.Outcome == NamespaceOutcome.None)
        {
            result = next;
            return true;
        }

        if (result.Value.Span.SequenceEqual(next.Value.Span))
        {
            return true;
        }

        result = NamespaceCandidate.Conflict(result.Value, next.Value, $"{result.Rule} vs {next.Rule}");
        return false;
    }
}
