namespace ExtAuthz.Core.Namespaces;

/// <summary>Folds the namespaces several sources read into one: all that name one must name the same.</summary>
internal static class NamespaceCombiner
{
    public static NamespaceCandidate Combine(in NamespaceCandidate result, in NamespaceCandidate next)
    {
        if (result.Outcome is not (NamespaceOutcome.None or NamespaceOutcome.Found))
        {
            return result;
        }

        switch (next.Outcome)
        {
            case NamespaceOutcome.None:
                return result;
            case NamespaceOutcome.Found when result.Outcome == NamespaceOutcome.None:
                return next;
            case NamespaceOutcome.Found when result.Value.Span.SequenceEqual(next.Value.Span):
                return result;
            case NamespaceOutcome.Found:
                return NamespaceCandidate.Conflict(result, next, ConflictRule(result, next));
            default:
                return next;
        }
    }

    private static string ConflictRule(in NamespaceCandidate first, in NamespaceCandidate second) =>
        ReferenceEquals(first.Rule, second.Rule) ? first.Rule ?? string.Empty : $"{first.Rule} vs {second.Rule}";
}
