using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class RouteTemplateTests
{
    [Theory]
    [InlineData("?a", "'?a' is not a path template (it starts with '/', and has no query, encoding or spaces)")]
    [InlineData("/a?b", "'/a?b' is not a path template (it starts with '/', and has no query, encoding or spaces)")]
    [InlineData("/a/{ns}/{ns}", "'/a/{ns}/{ns}': the variable {ns} appears twice")]
    [InlineData("/a//b", "'/a//b': empty and dot segments are not allowed")]
    [InlineData("/a/**/b", "'/a/**/b': '**' (the rest of the path) must be the last segment")]
    [InlineData("/a/{ns", "'/a/{ns': '{ns' is not a variable such as {ns} or {id:viewer-*}")]
    [InlineData("/a/{Ns}", "'/a/{Ns}': '{Ns}': a variable's name is lower-case letters")]
    [InlineData("/a/{n1}", "'/a/{n1}': '{n1}': a variable's name is lower-case letters")]
    [InlineData("/a/{id:*}", "'/a/{id:*}': '{id:*}': a variable's pattern is a literal prefix and '*', e.g. {id:viewer-*}")]
    [InlineData("/a/b*", "'/a/b*': 'b*' mixes a literal with '*', '{' or '}'")]
    [InlineData("/a/*b", "'/a/*b': '*b' mixes a literal with '*', '{' or '}'")]
    [InlineData("/a/./b", "'/a/./b': empty and dot segments are not allowed")]
    [InlineData("/a/{id:ab}", "'/a/{id:ab}': '{id:ab}': a variable's pattern is a literal prefix and '*', e.g. {id:viewer-*}")]
    [InlineData("/a/{id:}", "'/a/{id:}': '{id:}': a variable's pattern is a literal prefix and '*', e.g. {id:viewer-*}")]
    public void TryParse_NotATemplate_SaysWhy(string text, string expected)
    {
        Assert.Null(RouteTemplate.TryParse(text, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("/a/{id:v*}")]
    [InlineData("/a/{ns}/**")]
    [InlineData("/a/*")]
    public void TryParse_Template_NoError(string text)
    {
        Assert.NotNull(RouteTemplate.TryParse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/", "")]
    [InlineData("/a/", "Literal:a:")]
    [InlineData("/a/{id:viewer-*}/*/{ns}/**", "Literal:a: Variable:viewer-:id Variable:: Variable::ns Rest::")]
    public void TryParse_Template_SegmentsOfEachKind(string text, string expected)
    {
        var template = RouteTemplate.Parse(text);

        Assert.Equal(expected, string.Join(' ', template.Segments.Select(s => $"{s.Kind}:{s.Text}:{s.Name}")));
    }
}
