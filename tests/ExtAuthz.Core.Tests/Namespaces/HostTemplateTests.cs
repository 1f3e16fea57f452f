using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class HostTemplateTests
{
    private const string NoDomain = "must end with .{domain}, e.g. {name}.{namespace}.{domain}";
    private const string OnlyPlaceholders = "may hold only {name} and {namespace}, separated by literal text";
    private const string Counts = "must hold {namespace} once, {name} at most once, and literal DNS characters";

    [Theory]
    [InlineData(null, $"'' {NoDomain}")]
    [InlineData("   ", $"'   ' {NoDomain}")]
    [InlineData("{name}.{namespace}", $"'{{name}}.{{namespace}}' {NoDomain}")]
    [InlineData("{namespace}.{name.{domain}", $"'{{namespace}}.{{name.{{domain}}' {OnlyPlaceholders}")]
    [InlineData("{name}{namespace}.{domain}", $"'{{name}}{{namespace}}.{{domain}}' {OnlyPlaceholders}")]
    [InlineData("{nam}.{namespace}.{domain}", $"'{{nam}}.{{namespace}}.{{domain}}' {OnlyPlaceholders}")]
    [InlineData("{name}.{name}.{namespace}.{domain}", $"'{{name}}.{{name}}.{{namespace}}.{{domain}}' {Counts}")]
    [InlineData("{namespace}.{namespace}.{domain}", $"'{{namespace}}.{{namespace}}.{{domain}}' {Counts}")]
    [InlineData("models.{domain}", $"'models.{{domain}}' {Counts}")]
    [InlineData("{namespace}.Models.{domain}", $"'{{namespace}}.Models.{{domain}}' {Counts}")]
    [InlineData("{namespace}_x.{domain}", $"'{{namespace}}_x.{{domain}}' {Counts}")]
    public void TryParse_NotATemplate_SaysWhy(string? text, string expected)
    {
        Assert.Null(HostTemplate.TryParse(text, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_NotATemplate_Throws() =>
        Assert.Equal($"'models.{{domain}}' {Counts}", Assert.Throws<FormatException>(() => HostTemplate.Parse("models.{domain}")).Message);

    [Theory]
    [InlineData("{name}.{namespace}.{domain}", "model.alice", "alice")]
    [InlineData("{name}.{namespace}.{domain}", "a.b.alice", "")]
    [InlineData("{name}.{namespace}.{domain}", "a-bob", "")]
    [InlineData("{name}.{namespace}.{domain}", "model.alice.x", "")]
    [InlineData("{name}.{namespace}.{domain}", ".alice", "")]
    [InlineData("{name}-{namespace}.{domain}", "my-model-team-ml", "model-team-ml,team-ml,ml")]
    [InlineData("{name}-{namespace}.{domain}", "model-v1.alice", "")]
    [InlineData("{namespace}-models.{domain}", "alice-models", "alice")]
    [InlineData("{namespace}-models.{domain}", "alice-model", "")]
    [InlineData("{namespace}.{name}.{domain}", "alice.model", "alice")]
    [InlineData("{namespace}.{domain}", "alice", "alice")]
    [InlineData("{namespace}.{domain}", "", "")]
    [InlineData("v1.{namespace}.{domain}", "v1.alice", "alice")]
    [InlineData("v1.{namespace}.{domain}", "v2.alice", "")]
    public void Match_Labels_EveryWayTheNamespaceFits(string text, string labels, string expected)
    {
        var template = HostTemplate.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal(text, template!.Text);
        Assert.Equal(expected, Namespaces(template, labels, 16));
    }

    [Theory]
    [InlineData(1, "more than 1")]
    [InlineData(2, "b-c,c")]
    [InlineData(3, "b-c,c")]
    public void Match_WaysToFitAgainstTheBuffer_AllOrSaysThereAreMore(int buffer, string expected) =>
        Assert.Equal(expected, Namespaces(HostTemplate.Parse("{name}-{namespace}.{domain}"), "a-b-c", buffer));

    private static string Namespaces(HostTemplate template, string labels, int buffer)
    {
        Span<Range> found = stackalloc Range[buffer];
        var count = template.Match(labels, found);
        if (count > buffer)
        {
            return $"more than {buffer}";
        }

        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = labels[found[i]];
        }

        return string.Join(',', names);
    }
}
