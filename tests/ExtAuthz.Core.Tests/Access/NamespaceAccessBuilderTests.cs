using ExtAuthz.Core.Access;
using ExtAuthz.Core.Decisions;
using static ExtAuthz.Core.Tests.Access.Objects;

namespace ExtAuthz.Core.Tests.Access;

public sealed class NamespaceAccessBuilderTests
{
    [Theory]
    [InlineData("kubeflow-admin", "Admin")]
    [InlineData("kubeflow-edit", "Edit")]
    [InlineData("kubeflow-view", "View")]
    [InlineData("admin", "None")]
    [InlineData("edit", "None")]
    [InlineData("cluster-admin", "None")]
    [InlineData("Kubeflow-Edit", "None")]
    public void Build_RoleRefDecidesTheRole(string clusterRole, string expected)
    {
        var access = Build(Binding("alice", "b", clusterRole, User("bob@example.com")));

        Assert.Equal(expected, access.Find(Caller("bob@example.com"))?.Role.ToString() ?? "None");
    }

    [Fact]
    public void Build_NamespacedRoleGrantsNothing()
    {
        var access = Build(new RoleBindingRecord("alice", "b", "Role", "kubeflow-edit", [User("bob@example.com")]));

        Assert.Null(access.Find(Caller("bob@example.com")));
    }

    [Fact]
    public void Build_AnnotationsNeverGrant()
    {
        var binding = new RoleBindingRecord("alice", "user-mallory-example-com-clusterrole-edit", RoleBindingRecord.ClusterRoleKind, "kubeflow-edit",
            [User("bob@example.com")], AnnotatedUser: "mallory@example.com", AnnotatedRole: "edit");

        var access = Build(binding);

        Assert.Null(access.Find(Caller("mallory@example.com")));
        Assert.Equal(AccessRole.Edit, access.Find(Caller("bob@example.com"))!.Role);
    }

    [Fact]
    public void Build_OwnerIsOwnerEvenWithAnAdminBindingToo()
    {
        var access = Build(Binding("alice", "namespaceAdmin", "kubeflow-admin", User("alice@example.com")));

        var grant = access.Find(Caller("alice@example.com"))!;
        Assert.Equal(AccessRole.Owner, grant.Role);
        Assert.Equal("owner of profile alice", grant.Detail);
    }

    [Theory]
    [InlineData("alice@example.com", true)]
    [InlineData("ALICE@Example.COM", false)]
    [InlineData("Alice@example.com", false)]
    [InlineData("alice@example.co", false)]
    [InlineData("alice@example.com ", false)]
    public void Find_EmailIdsMatchByteForByte(string caller, bool found) =>
        Assert.Equal(found, Build().Find(Caller(caller)) is not null);

    [Theory]
    [InlineData("ALICE@Example.COM", "a grant exists for alice@example.com, which differs only in case")]
    [InlineData("Bob@example.com", "a grant exists for bob@example.com, which differs only in case")]
    [InlineData("alice@example.com", null)]
    [InlineData("alice@example.co", null)]
    [InlineData("mallory@example.com", null)]
    public void ExplainCaseVariant_NamesOnlyAGrantDifferingInCase(string caller, string? expected) =>
        Assert.Equal(expected, Build(Binding("alice", "b", "kubeflow-edit", User("bob@example.com"))).ExplainCaseVariant(Caller(caller)));

    [Fact]
    public void Find_SubjectInCapitalsMatchesOnlyItsOwnSpelling()
    {
        var access = Build(Binding("alice", "b", "kubeflow-edit", User("Heidi@Example.COM")));

        Assert.NotNull(access.Find(Caller("Heidi@Example.COM")));
        Assert.Null(access.Find(Caller("heidi@example.com")));
        Assert.Equal("a grant exists for Heidi@Example.COM, which differs only in case", access.ExplainCaseVariant(Caller("heidi@example.com")));
    }

    [Fact]
    public void ExplainCaseVariant_NoNearMiss_AllocatesNothing()
    {
        var access = Build(Binding("alice", "b", "kubeflow-view", Group("ml-team")));
        var caller = Caller("mallory@example.com", "a", "ML-TEAM-2");
        access.ExplainCaseVariant(caller);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(access.ExplainCaseVariant(caller));
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Find_NonEmailIdsMatchExactly()
    {
        var access = Build(Binding("alice", "b", "kubeflow-edit", User("Robot-1")));

        Assert.NotNull(access.Find(Caller("Robot-1")));
        Assert.Null(access.Find(Caller("robot-1")));
    }

    [Fact]
    public void Find_ServiceAccountSubjectIsItsKubernetesUserName()
    {
        var access = Build(Binding("alice", "default-editor", "kubeflow-edit", ServiceAccount("alice", "default-editor")));

        Assert.Equal(AccessRole.Edit, access.Find(Caller("system:serviceaccount:alice:default-editor"))!.Role);
        Assert.Null(access.Find(Caller("default-editor")));
        Assert.Null(access.Find(Caller("system:serviceaccount:bob:default-editor")));
    }

    [Fact]
    public void Find_ServiceAccountSubjectWithoutNamespaceGrantsNothing()
    {
        var access = Build(Binding("alice", "b", "kubeflow-edit", new SubjectRecord(SubjectRecord.ServiceAccount, "default-editor")));

        // Only the owner's entry: the ServiceAccount has no user name to match.
        Assert.Equal(1, access.Users.Count);
        Assert.Null(access.Find(Caller("default-editor")));
        Assert.Null(access.Find(Caller("system:serviceaccount::default-editor")));
    }

    [Fact]
    public void Find_GroupMemberGetsTheStrongestOfUserAndGroupGrants()
    {
        var access = Build(
            Binding("alice", "carol-view", "kubeflow-view", User("carol@example.com")),
            Binding("alice", "ml-team-edit", "kubeflow-edit", Group("ml-team")));

        var grant = access.Find(Caller("carol@example.com", "other", "ml-team"))!;
        Assert.Equal(AccessRole.Edit, grant.Role);
        Assert.Equal("RoleBinding ml-team-edit in alice (edit, group ml-team)", grant.Detail);
        Assert.Equal(AccessRole.View, access.Find(Caller("carol@example.com", "other"))!.Role);
        Assert.Null(access.Find(Caller("dave@example.com", "ML-TEAM")));
    }

    [Theory]
    [InlineData("dave@example.com", "kubeflow-view", "RoleBinding ml-team-b in alice (view, group ml-team)")]
    [InlineData("carol@example.com", "kubeflow-view", "RoleBinding carol-a in alice (edit)")]
    [InlineData("carol@example.com", "kubeflow-edit", "RoleBinding carol-a in alice (edit)")]
    [InlineData("carol@example.com", "kubeflow-admin", "RoleBinding ml-team-b in alice (admin, group ml-team)")]
    public void Find_UserAndGroupGrants_GroupWinsOnlyWhenStronger(string user, string groupRole, string detail)
    {
        var access = Build(
            Binding("alice", "carol-a", "kubeflow-edit", User("carol@example.com")),
            Binding("alice", "ml-team-b", groupRole, Group("ml-team")));

        Assert.Equal(detail, access.Find(Caller(user, "ml-team"))!.Detail);
    }

    [Theory]
    [InlineData("kubeflow-view", "kubeflow-edit", "RoleBinding b in alice (edit)")]
    [InlineData("kubeflow-edit", "kubeflow-view", "RoleBinding a in alice (edit)")]
    [InlineData("kubeflow-edit", "kubeflow-edit", "RoleBinding a in alice (edit)")]
    public void Build_OneUserInTwoBindings_StrongestThenFirstByName(string roleOfA, string roleOfB, string detail)
    {
        var access = Build(Binding("alice", "b", roleOfB, User("bob@example.com")), Binding("alice", "a", roleOfA, User("bob@example.com")));

        Assert.Equal(detail, access.Find(Caller("bob@example.com"))!.Detail);
    }

    [Fact]
    public void NamespaceAccess_WithoutBindings_ListsNone() =>
        Assert.Empty(new NamespaceAccess("alice", Profile("alice", "alice@example.com"), GrantTable.Empty, GrantTable.Empty, 0).Bindings);

    [Fact]
    public void Find_UnknownSubjectKindGrantsNothing()
    {
        var access = Build(Binding("alice", "b", "kubeflow-edit", new SubjectRecord("Robot", "bob@example.com")));

        Assert.Null(access.Find(Caller("bob@example.com")));
    }

    [Fact]
    public void Find_DetailNamesTheBinding()
    {
        var access = Build(Binding("alice", "user-bob-example-com-clusterrole-view", "kubeflow-view", User("bob@example.com")));

        Assert.Equal("RoleBinding user-bob-example-com-clusterrole-view in alice (view)", access.Find(Caller("bob@example.com"))!.Detail);
    }

    [Fact]
    public void Build_ConfiguredRoleNames()
    {
        var roles = new RoleMap("team-admin", "team-edit", "team-view");

        var access = NamespaceAccessBuilder.Build(Profile("alice", "alice@example.com"),
            [Binding("alice", "a", "team-view", User("bob@example.com")), Binding("alice", "b", "kubeflow-edit", User("carol@example.com"))], roles);

        Assert.Equal(AccessRole.View, access.Find(Caller("bob@example.com"))!.Role);
        Assert.Null(access.Find(Caller("carol@example.com")));
    }

    [Fact]
    public void Find_AllocatesNothing()
    {
        var access = Build(Binding("alice", "b", "kubeflow-view", Group("ml-team")));
        var caller = Caller("alice@example.com", "a", "b", "ml-team");
        access.Find(caller);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            access.Find(caller);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static NamespaceAccess Build(params RoleBindingRecord[] bindings) =>
        NamespaceAccessBuilder.Build(Profile("alice", "alice@example.com"), bindings, RoleMap.Default);
}
