using System.Runtime.InteropServices;
using ExtAuthz.Core.Namespaces;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class InferenceHostsTests
{
    private static readonly Profiles s_profiles = new("alice", "bob", "team-ml", "ml");

    [Fact]
    public void Text_TemplatesAndDomainsClusterLocalOnce() =>
        Assert.Equal(
            "{name}.{namespace}.{domain} | {name}-{namespace}.{domain} with domain example.com | svc.cluster.local",
            Hosts(["example.com", "svc.cluster.local"]).Text);

    [Theory]
    [InlineData("m.bob.example.com", "Found", "bob")]
    [InlineData("m-bob.example.com", "Found", "bob")]
    [InlineData("m.bob.svc.cluster.local", "Found", "bob")]
    [InlineData("m.bob.example.com:8080", "Found", "bob")]
    [InlineData("M.Bob.Example.com", "Found", "bob")]
    [InlineData("my-model-team-ml.example.com", "Conflict", "team-ml")]
    [InlineData("kubeflow.example.com", "None", null)]
    [InlineData("kubeflow-bob.example.com", "None", null)]
    [InlineData("m.nobody.example.com", "None", null)]
    [InlineData("example.com", "None", null)]
    [InlineData(".example.com", "None", null)]
    [InlineData("m.bobxexample.com", "None", null)]
    [InlineData("m.bob.notexamples", "None", null)]
    [InlineData(":m.bob.example.com", "None", null)]
    [InlineData("[::1]:443", "None", null)]
    [InlineData("", "None", null)]
    public void Match_Host_NamespaceOfAProfileOnly(string host, string outcome, string? ns)
    {
        var result = Hosts(["example.com"], ["kubeflow-bob.example.com"]).Match(host, s_profiles);

        Assert.Equal(outcome, result.Outcome.ToString());
        Assert.Equal(ns, ns is null ? null : result.Value.ToString());
    }

    [Fact]
    public void Match_WithoutProfiles_None() =>
        Assert.Equal(NamespaceOutcome.None, Hosts(["example.com"]).Match("m.bob.example.com", null).Outcome);

    [Fact]
    public void Match_WithoutTemplates_None() =>
        Assert.Equal(NamespaceOutcome.None, new InferenceHosts([], ["example.com"], []).Match("m.bob.example.com", s_profiles).Outcome);

    [Fact]
    public void Match_LowerCaseHost_ValueIsASliceOfTheHost()
    {
        const string host = "m.bob.example.com";

        var result = Hosts(["example.com"]).Match(host, s_profiles);

        Assert.True(MemoryMarshal.TryGetString(result.Value, out var text, out var start, out var length));
        Assert.Same(host, text);
        Assert.Equal((2, 3), (start, length));
    }

    [Fact]
    public void Match_AsManyWaysToFitAsKept_TheLastStillRead()
    {
        // {name}-{namespace} fits a host with 16 dashes in 16 ways; the profile's namespace is the last of them.
        var host = string.Concat(Enumerable.Repeat("a-", 16)) + "bob.example.com";

        var result = Hosts(["example.com"]).Match(host, s_profiles);

        Assert.Equal(("Found", "bob"), (result.Outcome.ToString(), result.Value.ToString()));
    }

    [Theory]
    [InlineData(17)]
    [InlineData(40)]
    public void Match_MoreWaysToFitThanKept_RefusedNeverReadAsNoNamespace(int dashes)
    {
        // bob, a profile, is the last of more fits than are read: the host is refused, not passed as naming none.
        var host = string.Concat(Enumerable.Repeat("a-", dashes)) + "bob.example.com";

        var result = Hosts(["example.com"]).Match(host, s_profiles);

        Assert.Equal(NamespaceOutcome.Invalid, result.Outcome);
    }

    private static InferenceHosts Hosts(string[] domains, string[]? dashboardHosts = null) =>
        new([HostTemplate.Parse("{name}.{namespace}.{domain}"), HostTemplate.Parse("{name}-{namespace}.{domain}")], domains, dashboardHosts ?? []);
}
