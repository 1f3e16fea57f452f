using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class TemplateSegmentTests
{
    [Theory]
    [InlineData(SegmentKind.Literal, "api", 3)]
    [InlineData(SegmentKind.Variable, "viewer-", 2)]
    [InlineData(SegmentKind.Variable, "", 1)]
    [InlineData(SegmentKind.Rest, "", 0)]
    public void Rank_LiteralThenPrefixedVariableThenVariableThenRest(SegmentKind kind, string text, int rank) =>
        Assert.Equal(rank, new TemplateSegment(kind, text, null).Rank);

    [Theory]
    [InlineData(SegmentKind.Literal, "api", "api", false, true)]
    [InlineData(SegmentKind.Literal, "api", "API", false, false)]
    [InlineData(SegmentKind.Literal, "api", "API", true, true)]
    [InlineData(SegmentKind.Literal, "api", "apis", true, false)]
    [InlineData(SegmentKind.Variable, "", "alice", false, true)]
    [InlineData(SegmentKind.Variable, "", "", false, false)]
    [InlineData(SegmentKind.Variable, "viewer-", "viewer-1", false, true)]
    [InlineData(SegmentKind.Variable, "viewer-", "viewer-", false, false)]
    [InlineData(SegmentKind.Variable, "viewer-", "Viewer-1", false, false)]
    [InlineData(SegmentKind.Variable, "viewer-", "Viewer-1", true, true)]
    [InlineData(SegmentKind.Variable, "viewer-", "other-12", true, false)]
    [InlineData(SegmentKind.Rest, "", "anything", false, true)]
    public void Matches_ByKindAndCase(SegmentKind kind, string text, string segment, bool ignoreCase, bool expected) =>
        Assert.Equal(expected, new TemplateSegment(kind, text, null).Matches(segment, ignoreCase));
}
