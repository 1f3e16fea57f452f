using ExtAuthz.Core.Access;

namespace ExtAuthz.Core.Tests.Access;

/// <summary>What the workspace API asks the index beside the decisions: names taken, Profiles per owner, bindings per namespace.</summary>
public sealed class IndexQueryTests
{
    private static AccessIndex Index()
    {
        var index = new AccessIndex(RoleMap.Default, TimeProvider.System);
        index.ReplaceAll(
            [
                new ProfileRecord("alice", new SubjectRecord("User", "alice@example.com")),
                new ProfileRecord("alice-two", new SubjectRecord("User", "alice@example.com")),
                new ProfileRecord("team", new SubjectRecord("Group", "alice@example.com")),
            ],
            [
                new RoleBindingRecord("alice", "z-binding", "ClusterRole", "kubeflow-view", [new SubjectRecord("User", "carol@example.com")]),
                new RoleBindingRecord("alice", "a-binding", "ClusterRole", "kubeflow-edit", [new SubjectRecord("User", "bob@example.com")]),
            ],
            [new NamespaceRecord("alice", "alice@example.com"), new NamespaceRecord("kube-system", null)]);
        return index;
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("alice-two", true)]
    [InlineData("kube-system", true)]
    [InlineData("bob", false)]
    [InlineData("Alice", false)]
    public void Knows_Name_ProfileOrNamespaceAdoptedOrNot(string name, bool expected) => Assert.Equal(expected, Index().Knows(name));

    [Theory]
    [InlineData("alice@example.com", new[] { "alice", "alice-two" })]
    [InlineData("Alice@example.com", new string[0])]
    [InlineData("bob@example.com", new string[0])]
    public void ProfilesOwnedBy_User_CountsUnadoptedAndNeverAGroupOwner(string user, string[] expected) =>
        Assert.Equal(expected, Index().ProfilesOwnedBy(user));

    [Fact]
    public void Bindings_AdoptedNamespace_InNameOrder()
    {
        var alice = Index().Current!.Find("alice")!;

        Assert.Equal(["a-binding", "z-binding"], alice.Bindings.Select(b => b.Name));
    }
}
