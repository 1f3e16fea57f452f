using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Tests.Paths;

public sealed class PathNormalizerTests
{
    public static TheoryData<string, string, string> Normal => new()
    {
        // raw target, normalised path, query
        { "/", "/", "" },
        { "/notebook/alice/nb/", "/notebook/alice/nb/", "" },
        { "/notebook/alice/nb", "/notebook/alice/nb", "" },
        { "/pipeline/apis/v2beta1/runs?namespace=alice", "/pipeline/apis/v2beta1/runs", "namespace=alice" },
        { "/a?b?c", "/a", "b?c" },
        { "/a?", "/a", "" },
        { "/%61lice", "/alice", "" },
        { "/notebook/%61lice/", "/notebook/alice/", "" },
        { "/%7euser/%2d%2E%5F", "/~user/-._", "" },
        { "/%30%39%41%5A%61%7A", "/09AZaz", "" },
        { "/~user~", "/~user~", "" },
        { "/%41~", "/A~", "" },
        { "/a/./b", "/a/b", "" },
        { "/a/b/..", "/a/", "" },
        { "/a/b/../c", "/a/c", "" },
        { "/a/b/.", "/a/b/", "" },
        { "/healthz/../notebook/bob/", "/notebook/bob/", "" },
        { "/notebook/alice/../bob/", "/notebook/bob/", "" },
        { "/a/%2e%2e/b", "/b", "" },
        { "/a/%2E/b", "/a/b", "" },
        { "/a%20b", "/a%20b", "" },
        { "/a%3fb", "/a%3Fb", "" },
        { "/a%3Ab", "/a%3Ab", "" },
        { "/api/v1/x:archive", "/api/v1/x:archive", "" },
        { "/a/...", "/a/...", "" },
        { "/a/..b", "/a/..b", "" },
        { "/a%25", "/a%25", "" },
        { "/ünïcode-%C3%BC", "/ünïcode-%C3%BC", "" },
    };

    public static TheoryData<string, PathProblem> Ambiguous => new()
    {
        { "", PathProblem.Empty },
        { "notebook/alice", PathProblem.NotOriginForm },
        { "*", PathProblem.NotOriginForm },
        { "http://evil/notebook/alice", PathProblem.NotOriginForm },
        { "/dex/..%2Fnotebook/bob/", PathProblem.EncodedSlash },
        { "/notebook/alice%2F..%2Fbob/", PathProblem.EncodedSlash },
        { "/notebook/alice%2f", PathProblem.EncodedSlash },
        { "/notebook/alice%5C..%5Cbob", PathProblem.Backslash },
        { "/notebook\\bob", PathProblem.Backslash },
        { "/notebook/%00/x", PathProblem.ControlByte },
        { "/notebook/a\0b", PathProblem.ControlByte },
        { "/notebook/a\rb", PathProblem.ControlByte },
        { "/notebook/a%0Ab", PathProblem.ControlByte },
        { "/notebook/a%7Fb", PathProblem.ControlByte },
        { "/notebook//bob/", PathProblem.EmptySegment },
        { "//notebook/bob/", PathProblem.EmptySegment },
        { "/notebook/bob//", PathProblem.EmptySegment },
        { "/..", PathProblem.AboveRoot },
        { "/../notebook/bob", PathProblem.AboveRoot },
        { "/a/../../b", PathProblem.AboveRoot },
        { "/%2e%2e/b", PathProblem.AboveRoot },
        { "/a%zz", PathProblem.BadPercentEncoding },
        { "/a%4", PathProblem.BadPercentEncoding },
        { "/a%", PathProblem.BadPercentEncoding },
        { "/notebook/alice#frag", PathProblem.Fragment },
        { "/notebook/é", PathProblem.NonAscii },
        { "/a b", PathProblem.IllegalCharacter },
        { "/a\"b", PathProblem.IllegalCharacter },
        { "/a<b>", PathProblem.IllegalCharacter },
    };

    [Theory]
    [MemberData(nameof(Normal))]
    public void Normalize_UnambiguousTarget_ResolvesToOnePath(string raw, string expectedPath, string expectedQuery)
    {
        var result = PathNormalizer.Normalize(raw);

        Assert.Equal(expectedPath, result.Path.ToString());
        Assert.Equal(expectedQuery, result.Query.ToString());
        Assert.Equal(raw.Contains('ü') ? PathProblem.NonAscii : PathProblem.None, result.Problem);
    }

    [Theory]
    [MemberData(nameof(Ambiguous))]
    public void Normalize_AmbiguousTarget_IsFlagged(string raw, PathProblem expected)
    {
        var result = PathNormalizer.Normalize(raw);

        Assert.True(result.IsAmbiguous);
        Assert.Equal(expected, result.Problem);
        Assert.StartsWith("/", result.Path.ToString());
    }

    /// <summary>An ambiguous target still yields the path and query a decision log shows: a stray '%' written as "%25".</summary>
    public static TheoryData<string, PathProblem, string, string> AmbiguousAsRead => new()
    {
        // raw target, problem, normalised path, query
        { "", PathProblem.Empty, "/", "" },
        { "?a=1", PathProblem.NotOriginForm, "/", "a=1" },
        { "?a=1#frag", PathProblem.NotOriginForm, "/", "a=1#frag" },
        { "notebook?a=1", PathProblem.NotOriginForm, "/", "a=1" },
        { "#frag", PathProblem.Fragment, "/", "" },
        { "#frag?a=1", PathProblem.Fragment, "/", "a=1" },
        { "notebook#frag", PathProblem.Fragment, "/", "" },
        { "/a%zz", PathProblem.BadPercentEncoding, "/a%25zz", "" },
        { "/a%", PathProblem.BadPercentEncoding, "/a%25", "" },
    };

    [Theory]
    [MemberData(nameof(AmbiguousAsRead))]
    public void Normalize_AmbiguousTarget_PathAndQueryAsRead(string raw, PathProblem expected, string expectedPath, string expectedQuery)
    {
        var result = PathNormalizer.Normalize(raw);

        Assert.Equal((expected, expectedPath, expectedQuery), (result.Problem, result.Path.ToString(), result.Query.ToString()));
    }

    [Fact]
    public void Normalize_ManySegmentsNeedingWork_FlaggedTooMany()
    {
        // 257 segments through the decoding path; a target that needs no work is not walked segment by segment.
        var raw = "/%61" + string.Concat(Enumerable.Repeat("/a", 256));

        var result = PathNormalizer.Normalize(raw);

        Assert.Equal(PathProblem.TooManySegments, result.Problem);
    }

    [Fact]
    public void Normalize_256SegmentsNeedingWork_NotTooMany()
    {
        var raw = "/%61" + string.Concat(Enumerable.Repeat("/a", 255));

        var result = PathNormalizer.Normalize(raw);

        Assert.Equal(PathProblem.None, result.Problem);
        Assert.Equal("/a" + string.Concat(Enumerable.Repeat("/a", 255)), result.Path.ToString());
    }

    [Fact]
    public void Normalize_SegmentLongerThanTwiceTheStackBuffer_KeptWhole()
    {
        var segment = new string('x', 3000);

        var result = PathNormalizer.Normalize("/%41" + segment + "/b");

        Assert.Equal(PathProblem.None, result.Problem);
        Assert.Equal("/A" + segment + "/b", result.Path.ToString());
    }

    [Theory]
    [InlineData("/notebook/alice/nb/api/kernels", 30)]
    [InlineData("/pipeline/apis/v2beta1/runs?namespace=alice&page_size=10", 27)]
    public void Normalize_AlreadyNormal_SlicesTheTargetWithoutACopy(string raw, int pathLength)
    {
        var result = PathNormalizer.Normalize(raw);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetString(result.Path, out var text, out var start, out var length));
        Assert.Same(raw, text);
        Assert.Equal((0, pathLength), (start, length));
        Assert.Equal(raw.Length > pathLength ? raw[(pathLength + 1)..] : "", result.Query.ToString());
    }

    [Fact]
    public void Normalize_ManySegments_FlagsInsteadOfOverflowing()
    {
        var raw = "/" + string.Join('/', Enumerable.Repeat("a", 300)) + "/" + string.Join('/', Enumerable.Repeat("..", 300));

        var result = PathNormalizer.Normalize(raw);

        Assert.True(result.IsAmbiguous);
    }

    [Fact]
    public void Normalize_LongPath_IsHandledBeyondTheStackBuffer()
    {
        var segment = new string('x', 100);
        var raw = "/" + string.Join('/', Enumerable.Repeat(segment + "%41", 40));

        var result = PathNormalizer.Normalize(raw);

        Assert.False(result.IsAmbiguous);
        Assert.Equal("/" + string.Join('/', Enumerable.Repeat(segment + "A", 40)), result.Path.ToString());
    }

    [Theory]
    [InlineData("/a/b/c/../../../..")]
    [InlineData("/./.././../")]
    [InlineData("/%2e/%2E%2e/")]
    public void Normalize_DotSegmentsAboveRoot_NeverEscapeTheRoot(string raw)
    {
        var result = PathNormalizer.Normalize(raw);

        Assert.True(result.IsAmbiguous);
        Assert.DoesNotContain("..", result.Path.ToString());
    }

    [Fact]
    public void Normalize_RandomInput_NeverThrowsAndAlwaysYieldsARootedPath()
    {
        var random = new Random(1234);
        const string alphabet = "/%.aZ09?#\\\0\r\n -_~%2F%2e%5c";
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 40);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var result = PathNormalizer.Normalize(new string(chars));

            Assert.StartsWith("/", result.Path.ToString());
            if (!result.IsAmbiguous)
            {
                var path = result.Path.ToString();
                Assert.DoesNotContain("//", path);
                Assert.DoesNotContain("/../", path + "/");
                Assert.DoesNotContain("%2F", path, StringComparison.OrdinalIgnoreCase);
                var again = PathNormalizer.Normalize(path + (result.Query.Length > 0 ? "?" + result.Query.ToString() : ""));
                Assert.Equal((path, result.Query.ToString(), result.Problem), (again.Path.ToString(), again.Query.ToString(), again.Problem));
            }
        }
    }
}
