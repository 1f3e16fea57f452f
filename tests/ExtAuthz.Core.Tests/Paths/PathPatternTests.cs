using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Tests.Paths;

public sealed class PathPatternTests
{
    [Theory]
    [InlineData("/dex/", "/dex", true)]
    [InlineData("/dex/", "/dex/", true)]
    [InlineData("/dex/", "/dex/auth", true)]
    [InlineData("/dex/", "/dex/auth/local?x", true)]
    [InlineData("/dex/", "/dexter", false)]
    [InlineData("/dex/", "/de", false)]
    [InlineData("/dex/", "/", false)]
    [InlineData("/dex", "/dex/keys", false)]
    [InlineData("/dex", "/dex", true)]
    [InlineData("/healthz", "/healthz", true)]
    [InlineData("/healthz", "/healthzz", false)]
    [InlineData("/healthz", "/healthz/", false)]
    [InlineData("/healthz", "/healthz/x", false)]
    [InlineData("/metrics", "/metrics/x", false)]
    [InlineData("/metrics", "/x/metrics", false)]
    [InlineData("/*/metrics", "/a/metrics", true)]
    [InlineData("/*/metrics", "/a/metrics/b", false)]
    [InlineData("/", "/", true)]
    [InlineData("/notebook/*/*/api/", "/notebook/alice/nb/api/kernels", true)]
    [InlineData("/notebook/*/*/api/", "/notebook/alice/nb/api", true)]
    [InlineData("/notebook/*/*/api/", "/notebook/alice/api", false)]
    [InlineData("/notebook/*/*/api/", "/notebook/alice/nb/apis", false)]
    [InlineData("/*/x/", "/a/x/y", true)]
    [InlineData("/*/x/", "/x", false)]
    [InlineData("/", "/anything", true)]
    [InlineData("/api/", "/API/", false)]
    public void Matches_PrefixOnSegmentBoundaries_ExactOnlyWhole(string pattern, string path, bool expected)
    {
        var normalized = PathNormalizer.Normalize(path);

        Assert.Equal(expected, PathPattern.Parse(pattern).Matches(normalized.Path.Span));
    }

    /// <summary>Spans that no normalised path can be, given straight to the matcher: never a match.</summary>
    [Theory]
    [InlineData("/dex/", "")]
    [InlineData("/", "")]
    [InlineData("/", "dex/")]
    [InlineData("/a/*/", "/a//b")]
    [InlineData("/a/*", "/a//")]
    public void Matches_NotANormalisedPath_False(string pattern, string path)
    {
        Assert.False(PathPattern.Parse(pattern).Matches(path));
    }

    [Theory]
    [InlineData("/a%3Fb")]
    [InlineData("/A/b/")]
    [InlineData("/a:b/c@d")]
    public void TryParse_PlainPath_KeptAsWritten(string text)
    {
        Assert.Equal(text, PathPattern.TryParse(text, out var error)?.Text);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dex/")]
    [InlineData("/dex/../x")]
    [InlineData("/a//b")]
    [InlineData("/a?b")]
    [InlineData("/a%2Fb")]
    [InlineData("/a?")]
    [InlineData("/a/?b")]
    [InlineData("/%61")]
    [InlineData("/a%3fb")]
    [InlineData("/a/.")]
    public void TryParse_NotAPlainPrefix_ReportsAnError(string text)
    {
        Assert.Null(PathPattern.TryParse(text, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Set_MatchesWhenAnyPatternMatches()
    {
        var set = PathPatternSet.Parse(["/dex/", "/oauth2/", "/healthz"]);

        Assert.True(set.Matches("/oauth2/callback"));
        Assert.True(set.Matches("/healthz"));
        Assert.False(set.Matches("/healthz/x"));
        Assert.False(set.Matches("/notebook/alice/"));
        Assert.False(PathPatternSet.Empty.Matches("/"));
    }
}

