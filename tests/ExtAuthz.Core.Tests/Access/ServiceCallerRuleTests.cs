using ExtAuthz.Core.Access;

namespace ExtAuthz.Core.Tests.Access;

public sealed class ServiceCallerRuleTests
{
    private const string Caller = "spiffe://cluster.local/ns/kubeflow/sa/controller";

    [Theory]
    [InlineData("", "", "service caller cluster.local/ns/kubeflow/sa/controller on any method *")]
    [InlineData("GET", "*/api/kernels", "service caller cluster.local/ns/kubeflow/sa/controller on GET */api/kernels")]
    [InlineData("GET HEAD", "/a/* /b", "service caller cluster.local/ns/kubeflow/sa/controller on GET|HEAD /a/*|/b")]
    public void Detail_MethodsAndPaths_NamedAsConfigured(string methods, string paths, string expected) =>
        Assert.Equal(expected, new ServiceCallerRule(Caller, methods.Split(' ', StringSplitOptions.RemoveEmptyEntries), paths.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Detail);

    [Theory]
    [InlineData("*", "/anything/at/all", true)]
    [InlineData("*", "/", true)]
    [InlineData("/api/*", "/api/kernels", true)]
    [InlineData("/api/*", "/api/", true)]
    [InlineData("/api/*", "/api", false)]
    [InlineData("/api/*", "/apis/kernels", false)]
    [InlineData("/api/*", "/x/api/kernels", false)]
    [InlineData("*/kernels", "/notebook/alice/nb/api/kernels", true)]
    [InlineData("*/kernels", "/notebook/alice/nb/api/kernels/k1", false)]
    [InlineData("/api/kernels", "/api/kernels", true)]
    [InlineData("/api/kernels", "/api/kernels/", false)]
    [InlineData("/api/kernels", "/api/kernel", false)]
    public void Matches_IstioPathOperators(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new ServiceCallerRule(Caller, ["GET"], [pattern]).Matches(Caller, "GET", path));

    [Theory]
    [InlineData("cluster.local/ns/kubeflow/sa/controller", "GET", true)]
    [InlineData(Caller, "GET", true)]
    [InlineData(Caller, "POST", false)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/other", "GET", false)]
    public void Matches_PrincipalWithOrWithoutSchemeAndMethod(string source, string method, bool expected) =>
        Assert.Equal(expected, new ServiceCallerRule(Caller, ["GET"], ["*"]).Matches(source, method, "/x"));

    [Fact]
    public void Matches_NoMethodsNoPaths_AnyRequestOfThePrincipal() =>
        Assert.True(new ServiceCallerRule(Caller, [], []).Matches(Caller, "DELETE", "/x/y"));
}
