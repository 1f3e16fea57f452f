using System.Collections.Frozen;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Core.Tests.Identity;

/// <summary>Which claim values each issuer refuses so that no id of one issuer can equal another issuer's id.</summary>
public sealed class UserIdRuleTests
{
    public static TheoryData<string, string, string, string?> Cases => new()
    {
        // issuer prefixes "" (0), "a:" (1), "a:b:" (2), "c:" (3): what the first issuer listed accepts.
        { "empty prefix, plain id", "", "alice@example.com", null },
        { "empty prefix, another issuer's whole prefix", "", "a:alice@example.com", "email starts with another issuer's user id prefix" },
        { "empty prefix, the longest prefix", "", "a:b:alice", "email starts with another issuer's user id prefix" },
        { "empty prefix, a prefix that is only alike", "", "ab:alice", null },
        { "nested prefix, what the longer one adds", "a:", "b:alice", "email starts with another issuer's user id prefix" },
        { "nested prefix, another start", "a:", "c:alice", null },
        { "longest prefix, anything", "a:b:", "a:b:alice", null },
        { "unrelated prefix, anything", "c:", "a:alice", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_IssuerPrefixes_IdsOfOneIssuerNeverAnothersId(string name, string prefix, string user, string? expected)
    {
        string[] prefixes = ["", "a:", "a:b:", "c:"];
        var rules = UserIdRule.For([.. prefixes.Select(p => Settings(p, "email"))]);

        var detail = rules[Array.IndexOf(prefixes, prefix)].Check(user);

        Assert.True(expected == detail, $"{name}: {detail}");
    }

    [Theory]
    [InlineData("system:serviceaccount:kubeflow:runner", null)]
    [InlineData("alice@example.com", null)]
    public void Check_ServiceAccountIssuerAlone_AnyCleanId(string user, string? expected)
    {
        var rule = UserIdRule.For([Settings("sa:", "sub"), Settings("", "email")])[0];

        Assert.Equal(expected, rule.Check(user));
    }

    [Fact]
    public void Check_EmailIssuer_NeverKubernetesIds()
    {
        var rule = UserIdRule.For([Settings("", "email")])[0];

        Assert.Equal("email starts with 'system:', which only a ServiceAccount issuer may use", rule.Check("System:admin"));
    }

    private static IssuerSettings Settings(string prefix, string userClaim) => new()
    {
        Issuer = "https://issuer.example/" + prefix + userClaim,
        Audiences = FrozenSet<string>.Empty,
        Algorithms = FrozenSet<string>.Empty,
        Source = TokenSource.Header("authorization"),
        UserClaim = userClaim,
        GroupsClaim = "groups",
        UserIdPrefix = prefix,
    };
}
