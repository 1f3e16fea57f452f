using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Query parameters that name the namespace on paths under a prefix (Katib and Pipelines <c>?namespace=</c>,
/// Pipelines v1beta1 <c>resource_reference_key.id</c> when its type is NAMESPACE). Every value of every listed
/// parameter must agree: a repeated or differing value is a conflict, because backends differ in which one they read.
/// </summary>
public sealed class QueryNamespaceRule : INamespaceRule
{
    private const string ReferenceType = "resource_reference_key.type";
    private const string ReferenceId = "resource_reference_key.id";

    private readonly PathPattern _prefix;
    private readonly string[] _parameters;
    private readonly bool _resourceReferences;

    public QueryNamespaceRule(PathPattern prefix, IReadOnlyList<string> parameters, bool resourceReferences = false)
    {
        _prefix = prefix;
        _parameters = [.. parameters];
        _resourceReferences = resourceReferences;
        Text = $"{prefix.Text}?{string.Join('|', parameters)}{(resourceReferences ? $"|{ReferenceId}" : string.Empty)}";
    }

    public string Text { get; }

    public NamespaceCandidate Match(CheckInput input, in NormalizedPath path)
    {
        if (path.Query.Length == 0 || !_prefix.Matches(path.Path))
        {
            return NamespaceCandidate.None;
        }

        var query = path.Query;
        var found = NamespaceCandidate.None;
        foreach (var parameter in _parameters)
        {
            if (!Collect(query, parameter, ref found))
            {
                return found;
            }
        }

        if (_resourceReferences && NamesNamespaceReference(query))
        {
            Collect(query, ReferenceId, ref found);
        }

        return found;
    }

    /// <summary>Adds every value of one parameter; false once the outcome is final (invalid or conflict).</summary>
    private bool Collect(string query, string parameter, ref NamespaceCandidate found)
    {
        foreach (var range in QueryString.Find(query, parameter))
        {
            if (!QueryString.TryDecode(query, range, out var value))
            {
                found = NamespaceCandidate.Invalid(query.AsMemory(range), Text);
                return false;
            }

            var candidate = NamespaceCandidate.Found(value, Text);
            if (candidate.Outcome == NamespaceOutcome.Invalid)
            {
                found = candidate;
                return false;
            }

            if (found.Outcome == NamespaceOutcome.None)
            {
                found = candidate;
            }
            else if (!found.Value.Span.SequenceEqual(value.Span))
            {
                found = NamespaceCandidate.Conflict(found.Value, value, Text);
                return false;
            }
        }

        return true;
    }

    private static bool NamesNamespaceReference(string query)
    {
        foreach (var range in QueryString.Find(query, ReferenceType))
        {
            if (QueryString.TryDecode(query, range, out var type) && type.Span.SequenceEqual("NAMESPACE"))
            {
                return true;
            }
        }

        return false;
    }
}
