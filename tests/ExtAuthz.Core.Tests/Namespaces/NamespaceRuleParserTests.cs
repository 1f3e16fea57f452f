using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class NamespaceRuleParserTests
{
    [Theory]
    [InlineData("/myapp/{ns}/", true)]
    [InlineData("/myapp/*/{ns}", true)]
    [InlineData("/myapp/?namespace={ns}", true)]
    [InlineData("/myapp/", false)]
    [InlineData("myapp/{ns}/", false)]
    [InlineData("/myapp/{ns}/{ns}/", false)]
    [InlineData("/myapp/{name}/{ns}/", false)]
    [InlineData("/myapp//{ns}/", false)]
    [InlineData("/my%61pp/{ns}/", false)]
    [InlineData("/myapp/../{ns}/", false)]
    [InlineData("/myapp/?namespace", false)]
    [InlineData("/myapp/?namespace=x", false)]
    [InlineData("/myapp/?=x{ns}", false)]
    [InlineData("", false)]
    public void TryParse_Shapes(string text, bool valid)
    {
        var rule = NamespaceRuleParser.TryParse(text, "Policy:NamespaceRules:0", out var error);

        Assert.Equal(valid, rule is not null);
        Assert.Equal(valid, error is null);
    }
}
