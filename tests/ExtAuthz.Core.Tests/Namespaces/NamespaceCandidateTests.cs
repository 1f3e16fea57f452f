using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class NamespaceCandidateTests
{
    [Theory]
    [InlineData(NamespaceSource.Path, "'alice'")]
    [InlineData(NamespaceSource.Destination, "'alice'")]
    [InlineData(NamespaceSource.Query, "a query parameter's value")]
    [InlineData(NamespaceSource.Host, "the host's namespace label")]
    [InlineData(NamespaceSource.None, "a value")]
    public void Shown_OnlyAPathOrDestinationValueItself(NamespaceSource source, string shown) =>
        Assert.Equal(shown, NamespaceCandidate.Found("alice".AsMemory(), "rule", source).Shown);

    [Theory]
    [InlineData("alice", "Found")]
    [InlineData("Alice", "Invalid")]
    [InlineData("", "Invalid")]
    public void Found_ADnsLabelOrInvalid(string value, string outcome)
    {
        var candidate = NamespaceCandidate.Found(value.AsMemory(), "rule", NamespaceSource.Query);

        Assert.Equal((outcome, value, "rule", NamespaceSource.Query), (candidate.Outcome.ToString(), candidate.Value.ToString(), candidate.Rule, candidate.Source));
    }

    [Fact]
    public void Conflict_BothValuesAndSources()
    {
        var first = NamespaceCandidate.Found("alice".AsMemory(), "path rule", NamespaceSource.Path);
        var second = NamespaceCandidate.Found("bob".AsMemory(), "query rule", NamespaceSource.Query);

        var conflict = NamespaceCandidate.Conflict(first, second, "both");

        Assert.Equal(
            (NamespaceOutcome.Conflict, "alice", "bob", "both", NamespaceSource.Path, NamespaceSource.Query, "'alice'", "a query parameter's value"),
            (conflict.Outcome, conflict.Value.ToString(), conflict.Other.ToString(), conflict.Rule, conflict.Source, conflict.OtherSource, conflict.Shown, conflict.OtherShown));
    }

    [Fact]
    public void UnknownRoute_RuleOnly()
    {
        var candidate = NamespaceCandidate.UnknownRoute("app /x");

        Assert.Equal((NamespaceOutcome.UnknownRoute, "app /x", 0), (candidate.Outcome, candidate.Rule, candidate.Value.Length));
    }
}
