using ExtAuthz.Core.Access;

namespace ExtAuthz.Core.Tests.Access;

public sealed class SubjectRecordTests
{
    [Theory]
    [InlineData("User", "bob@example.com", null, "bob@example.com", false)]
    [InlineData("Group", "ml-team", null, "ml-team", true)]
    [InlineData("ServiceAccount", "default-editor", "alice", "system:serviceaccount:alice:default-editor", false)]
    [InlineData("User", "", null, null, false)]
    [InlineData("Group", "", null, null, false)]
    [InlineData("ServiceAccount", "", "alice", null, false)]
    [InlineData("ServiceAccount", "default-editor", "", null, false)]
    [InlineData("ServiceAccount", "default-editor", null, null, false)]
    [InlineData("Robot", "bob@example.com", null, null, false)]
    public void MatchKey_KindNameAndNamespace_IdOrNothing(string kind, string name, string? ns, string? id, bool isGroup)
    {
        var key = new SubjectRecord(kind, name, ns).MatchKey();

        Assert.Equal(id, key?.Id);
        Assert.Equal(isGroup, key?.IsGroup ?? false);
    }

    [Theory]
    [InlineData("User", "bob@example.com", null, "User bob@example.com")]
    [InlineData("ServiceAccount", "default-editor", "alice", "ServiceAccount alice/default-editor")]
    public void ToString_WithNamespaceOnlyWhenThereIsOne(string kind, string name, string? ns, string expected) =>
        Assert.Equal(expected, new SubjectRecord(kind, name, ns).ToString());
}
