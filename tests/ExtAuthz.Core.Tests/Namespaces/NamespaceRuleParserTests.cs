using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class NamespaceRuleParserTests
{
    private const string Name = "Policy:NamespaceRules:0";
    private const string NotAPath = "must be a path such as /myapp/{ns}/ (starting with '/', no encoding or empty segment) or a query parameter such as /myapp/?namespace={ns}";
    private const string NotLiteral = "may only hold literal segments, '*' and one {ns}";
    private const string NotOne = "must contain exactly one {ns} segment";
    private const string NotAQuery = "must be a path such as /myapp/{ns}/ or a query parameter such as /myapp/?namespace={ns}";

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
        var rule = NamespaceRuleParser.TryParse(text, Name, out var error);

        Assert.Equal(valid, rule is not null);
        Assert.Equal(valid, error is null);
    }

    [Theory]
    [InlineData(null, $"'' {NotAPath}")]
    [InlineData("", $"'' {NotAPath}")]
    [InlineData("myapp/{ns}/", $"'myapp/{{ns}}/' {NotAPath}")]
    [InlineData("/my%61pp/{ns}/", $"'/my%61pp/{{ns}}/' {NotAPath}")]
    [InlineData("/myapp//{ns}/", $"'/myapp//{{ns}}/' {NotAPath}")]
    [InlineData("?namespace={ns}", $"'?namespace={{ns}}' {NotAPath}")]
    [InlineData("/myapp/../{ns}/", $"'/myapp/../{{ns}}/' {NotLiteral}")]
    [InlineData("/myapp/./{ns}/", $"'/myapp/./{{ns}}/' {NotLiteral}")]
    [InlineData("/myapp/{name}/{ns}/", $"'/myapp/{{name}}/{{ns}}/' {NotLiteral}")]
    [InlineData("/myapp/b*/{ns}/", $"'/myapp/b*/{{ns}}/' {NotLiteral}")]
    [InlineData("/myapp/{x/{ns}/", $"'/myapp/{{x/{{ns}}/' {NotLiteral}")]
    [InlineData("/myapp/x}/{ns}/", $"'/myapp/x}}/{{ns}}/' {NotLiteral}")]
    [InlineData("/myapp/", $"'/myapp/' {NotOne}")]
    [InlineData("/myapp/{ns}/{ns}/", $"'/myapp/{{ns}}/{{ns}}/' {NotOne}")]
    [InlineData("/myapp/?namespace", $"'/myapp/?namespace' {NotAQuery}")]
    [InlineData("/myapp/?namespace=x", $"'/myapp/?namespace=x' {NotAQuery}")]
    [InlineData("/myapp/?={ns}", $"'/myapp/?={{ns}}' {NotAQuery}")]
    [InlineData("/myapp/?a&b={ns}", $"'/myapp/?a&b={{ns}}' {NotAQuery}")]
    [InlineData("/myapp/?&ns={ns}", $"'/myapp/?&ns={{ns}}' {NotAQuery}")]
    [InlineData("/myapp/?n%61me={ns}", $"'/myapp/?n%61me={{ns}}' {NotAQuery}")]
    [InlineData("/myapp/?a+b={ns}", $"'/myapp/?a+b={{ns}}' {NotAQuery}")]
    [InlineData("/myapp/?namespace={ns}&x", $"'/myapp/?namespace={{ns}}&x' {NotAQuery}")]
    [InlineData("/myapp/{ns}/?namespace={ns}", $"'/myapp/{{ns}}/?namespace={{ns}}' {NotAQuery}")]
    public void TryParse_NotARule_SaysWhy(string? text, string expected)
    {
        Assert.Null(NamespaceRuleParser.TryParse(text, Name, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("/myapp/{ns}/", "/myapp/{ns}/**", "ns", "")]
    [InlineData("/myapp/*/{ns}", "/myapp/*/{ns}/**", "ns", "")]
    [InlineData("/reports/?team={ns}", "/reports/**", null, "team")]
    [InlineData("/?team={ns}", "/**", null, "team")]
    public void TryParse_Rule_AnAppOfItsOwnThatDoesNotFailClosed(string text, string template, string? variable, string query)
    {
        var app = NamespaceRuleParser.TryParse(text, Name, out var error)!;

        Assert.Null(error);
        Assert.Equal((Name, Name, Framework.Exact, "", (string?)null, 0), (app.Name, app.File, app.Framework, app.GatewayMount, app.WorkloadMount, app.Closed.Count));
        Assert.Equal(new[] { $"{Name}: {text}" }, app.Sources);
        var route = Assert.Single(app.Routes);
        Assert.Equal((template, variable, query), (route.Template.Text, route.Namespace.PathVariable, string.Join(',', route.Namespace.Query)));
    }

    [Theory]
    [InlineData("/myapp/alice/page", "Found", "alice")]
    [InlineData("/myapp/Alice/page", "Invalid", "Alice")]
    [InlineData("/myapp", "None", null)]
    [InlineData("/reports/x?team=bob", "Found", "bob")]
    [InlineData("/reports/x?namespace=bob", "None", null)]
    public void Create_NamespaceRules_ReadByANewResolver(string target, string outcome, string? ns)
    {
        var resolver = NamespaceResolver.Create(["/myapp/{ns}/", "/reports/?team={ns}"], []);
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = target, Host = "kubeflow.example.com" };

        var result = resolver.Resolve(input, PathNormalizer.Normalize(target), new Profiles("alice", "bob"));

        Assert.Equal(outcome, result.Outcome.ToString());
        Assert.Equal(ns, ns is null ? null : result.Value.ToString());
    }
}
