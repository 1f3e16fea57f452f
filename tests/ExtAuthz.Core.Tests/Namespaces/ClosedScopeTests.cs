using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Namespaces.Catalogue;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class ClosedScopeTests
{
    [Theory]
    [InlineData(Framework.Express, "/apis/", "/pipeline/apis/x", true)]
    [InlineData(Framework.Express, "/apis/", "/pipeline/apis", true)]
    [InlineData(Framework.Express, "/apis/", "/pipeline/APIS/x", true)]
    [InlineData(Framework.Exact, "/apis/", "/pipeline/APIS/x", false)]
    [InlineData(Framework.Express, "/apis/", "/PIPELINE/apis/x", false)]
    [InlineData(Framework.Express, "/apis/", "/pipeline", false)]
    [InlineData(Framework.Express, "/apis/", "/pipeline/other/x", false)]
    [InlineData(Framework.Express, "/apis/v1/", "/pipeline/APIS/V1/x", true)]
    [InlineData(Framework.Express, "/apis/v1/", "/pipeline/apis/v2/x", false)]
    [InlineData(Framework.Express, "/apis/**", "/pipeline/apis/x", true)]
    [InlineData(Framework.Express, "/apis/**", "/pipeline/other", false)]
    [InlineData(Framework.Express, "/", "/pipeline/x", true)]
    [InlineData(Framework.Express, "/", "/pipelinex", false)]
    [InlineData(Framework.Express, "/{id:viewer-*}/", "/pipeline/Viewer-1/x", true)]
    [InlineData(Framework.Express, "/{id:viewer-*}/", "/pipeline/other", false)]
    public void Contains_MountExactlyTheRestByTheFramework(Framework framework, string prefix, string path, bool expected)
    {
        var scope = Scope(framework, prefix);
        Span<Range> buffer = stackalloc Range[PathSegments.MaxSegments];

        Assert.Equal(expected, scope.Contains(new PathSegments(path, buffer)));
    }

    [Theory]
    [InlineData("/apis/", 2, "ui /pipeline/apis/")]
    [InlineData("/apis/**", 2, "ui /pipeline/apis/**")]
    [InlineData("/", 1, "ui /pipeline/")]
    public void LengthAndText_MountAndPrefix(string prefix, int length, string text)
    {
        var scope = Scope(Framework.Express, prefix);

        Assert.Equal((length, text), (scope.Length, scope.Text));
    }

    private static ClosedScope Scope(Framework framework, string prefix) =>
        new(new CatalogueApp { Name = "ui", File = "test", Framework = framework }, 0, "/pipeline", RouteTemplate.Parse(prefix), atGateway: true);
}
