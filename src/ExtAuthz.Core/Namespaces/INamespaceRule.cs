using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Namespaces;

/// <summary>One way a request can name its target namespace (a path shape, a query parameter, a host).</summary>
public interface INamespaceRule
{
    /// <summary>The rule as configured or built in, for the decision detail and <c>/readyz</c>.</summary>
    string Text { get; }

    NamespaceCandidate Match(CheckInput input, in NormalizedPath path);
}
