using ExtAuthz.Core.Namespaces.Catalogue;

namespace ExtAuthz.Core.Namespaces;

/// <summary>
/// Reads a route's namespace out of the query: every value of every spelling must agree (a repeated or differing
/// value is a conflict: backends differ in which one they read, and Express reads both); a typed reference's id
/// counts only when its type says NAMESPACE (by name or number), and types that disagree are ambiguous.
/// </summary>
internal sealed class QueryReader
{
    private readonly QueryParameters _names;
    private readonly QueryParameters? _referenceTypes;
    private readonly QueryParameters? _referenceIds;
    private readonly string[] _types;
    private readonly string _rule;

    public QueryReader(Framework framework, NamespaceLocation location, string rule)
    {
        _names = new QueryParameters(framework, location.Query);
        if (location.Reference is { } reference)
        {
            _referenceTypes = new QueryParameters(framework, [reference.TypeParameter]);
            _referenceIds = new QueryParameters(framework, [reference.IdParameter]);
        }

        _types = [.. location.Reference?.Types ?? []];
        _rule = rule;
    }

    /// <summary>
    /// The namespace the query names; with <paramref name="onlyProfiles"/>, a value that is no profile namespace is
    /// skipped (the backend checks it: e.g. the namespace of a model registry's Service, normally kubeflow).
    /// </summary>
    public NamespaceCandidate Read(ReadOnlyMemory<char> query, IProfileNamespaces? onlyProfiles)
    {
        if (query.IsEmpty)
        {
            return NamespaceCandidate.None;
        }

        var found = NamespaceCandidate.None;
        if (!Collect(_names, query, onlyProfiles, ref found))
        {
            return found;
        }

        if (_referenceTypes is not null)
        {
            var namesNamespace = ReferenceNamesNamespace(query, out var ambiguous);
            if (ambiguous.Outcome != NamespaceOutcome.None)
            {
                return ambiguous;
            }

            if (namesNamespace)
            {
                Collect(_referenceIds!, query, onlyProfiles, ref found);
            }
        }

        return found;
    }

    /// <summary>Adds every value; false once the outcome is final (invalid or conflict).</summary>
    private bool Collect(QueryParameters parameters, ReadOnlyMemory<char> query, IProfileNamespaces? onlyProfiles, ref NamespaceCandidate found)
    {
        foreach (var range in parameters.Find(query))
        {
            if (!QueryString.TryDecode(query, range, out var value))
            {
                found = NamespaceCandidate.Invalid(query[range], _rule, NamespaceSource.Query);
                return false;
            }

            var candidate = NamespaceCandidate.Found(value, _rule, NamespaceSource.Query);
            if (candidate.Outcome == NamespaceOutcome.Invalid)
            {
                found = candidate;
                return false;
            }

            if (onlyProfiles is not null && !onlyProfiles.IsProfileNamespace(value.Span))
            {
                continue;
            }

            if (found.Outcome == NamespaceOutcome.None)
            {
                found = candidate;
            }
            else if (!found.Value.Span.SequenceEqual(value.Span))
            {
                found = NamespaceCandidate.Conflict(found, candidate, _rule);
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the reference's type names a namespace; types that disagree make the request ambiguous.</summary>
    private bool ReferenceNamesNamespace(ReadOnlyMemory<char> query, out NamespaceCandidate ambiguous)
    {
        ambiguous = NamespaceCandidate.None;
        var seen = 0; // 1: namespace, 2: another type
        foreach (var range in _referenceTypes!.Find(query))
        {
            var kind = QueryString.TryDecode(query, range, out var type) && IsNamespaceType(type.Span) ? 1 : 2;
            if (seen != 0 && seen != kind)
            {
                ambiguous = NamespaceCandidate.Invalid(query[range], _rule, NamespaceSource.Query);
                return false;
            }

            seen = kind;
        }

        return seen == 1;
    }

    /// <summary>An enum value by name, or by number as grpc-gateway parses it (sign and leading zeros allowed).</summary>
    private bool IsNamespaceType(ReadOnlySpan<char> type)
    {
        var number = type.TrimStart('+').TrimStart('0');
        foreach (var expected in _types)
        {
            if (type.SequenceEqual(expected) || number.Length > 0 && char.IsAsciiDigit(expected[0]) && number.SequenceEqual(expected))
            {
                return true;
            }
        }

        return false;
    }
}
