using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Server.SelfService;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>Each rule of the workspace API as data: who may create, share, unshare and list, and what is refused.</summary>
public sealed class SharingRulesTests
{
    private const string Alice = "alice@example.com";
    private const string Admin = "admin@example.com";

    private static Caller User(string id) => new(id, false, "token");

    private static Caller ClusterAdmin => new(Admin, true, "token");

    private static SharingRules Rules(bool registration = true, int max = 1, bool nukeSelf = false) => new(new SelfServiceOptions
    {
        Registration = registration,
        MaxOwnedWorkspaces = max,
        ReservedNames = ["platform"],
        NukeSelf = nukeSelf,
    });

    /// <summary>alice owns "alice"; bob@example.com edits there.</summary>
    private static NamespaceAccess Workspace() => NamespaceAccessBuilder.Build(
        new ProfileRecord("alice", new SubjectRecord("User", Alice)),
        [new RoleBindingRecord("alice", "user-bob-example-com-clusterrole-edit", "ClusterRole", "kubeflow-edit", [new SubjectRecord("User", "bob@example.com")])],
        RoleMap.Default);

    public static TheoryData<string, bool, string, string, bool, int, bool, string?> CreateCases => new()
    {
        // caller, admin?, name, owner, taken, owned, registration, expected reason (null = allowed)
        { Alice, false, "alice-ws", Alice, false, 0, true, null },
        { Alice, false, "alice-ws", Alice, false, 0, false, "registration_closed" },
        { Admin, true, "team", Alice, false, 5, false, null },
        { Alice, false, "alice-ws", "bob@example.com", false, 0, true, "owner_admin_only" },
        { Admin, true, "team", "system:authenticated", false, 0, true, "invalid_owner" },
        { Alice, false, "kube-system", Alice, false, 0, true, "reserved_name" },
        { Alice, false, "kube-public", Alice, false, 0, true, "reserved_name" },
        { Alice, false, "istio-system", Alice, false, 0, true, "reserved_name" },
        { Alice, false, "kubeflow", Alice, false, 0, true, "reserved_name" },
        { Alice, false, "default", Alice, false, 0, true, "reserved_name" },
        { Alice, false, "platform", Alice, false, 0, true, "reserved_name" },
        { Admin, true, "kube-system", Admin, false, 0, true, "reserved_name" },
        { Alice, false, "Alice", Alice, false, 0, true, "invalid_name" },
        { Alice, false, "-alice", Alice, false, 0, true, "invalid_name" },
        { Alice, false, "a_b", Alice, false, 0, true, "invalid_name" },
        { Alice, false, "", Alice, false, 0, true, "invalid_name" },
        { Alice, false, new string('a', 63), Alice, false, 0, true, null },
        { Alice, false, new string('a', 64), Alice, false, 0, true, "invalid_name" },
        { Alice, false, "alice\n", Alice, false, 0, true, "invalid_name" },
        { Alice, false, "bob", Alice, true, 0, true, "exists" },
        { Alice, false, "alice-two", Alice, false, 1, true, "limit_reached" },
        { Admin, true, "admin-two", Admin, false, 7, true, null },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create_Case_ExpectedOutcome(string caller, bool admin, string name, string owner, bool taken, int owned, bool registration, string? expected)
    {
        var outcome = Rules(registration).Create(new Caller(caller, admin, "token"), name, owner, taken, owned);

        Assert.Equal(expected, outcome?.Reason);
    }

    [Fact]
    public void Create_LimitTwo_AllowsASecondWorkspace()
    {
        Assert.Null(Rules(max: 2).Create(User(Alice), "alice-two", Alice, taken: false, owned: 1));
        Assert.Equal("limit_reached", Rules(max: 2).Create(User(Alice), "alice-three", Alice, taken: false, owned: 2)?.Reason);
    }

    public static TheoryData<string, bool, bool, string?> ManageCases => new()
    {
        // caller, admin?, workspace exists (adopted)?, expected
        { Alice, false, true, null },
        { "bob@example.com", false, true, "not_owner" },
        { "mallory@example.com", false, true, "not_owner" },
        { "Alice@example.com", false, true, "not_owner" },
        { Alice, false, false, "not_owner" },
        { Admin, true, true, null },
        { Admin, true, false, "not_found" },
    };

    [Theory]
    [MemberData(nameof(ManageCases))]
    public void Manage_Case_ExpectedOutcome(string caller, bool admin, bool exists, string? expected) =>
        Assert.Equal(expected, SharingRules.Manage(new Caller(caller, admin, "token"), exists ? Workspace() : null, "alice")?.Reason);

    public static TheoryData<bool, string?, string?, string, string?> MemberCases => new()
    {
        // caller is admin?, subject kind, email, role, expected
        { false, "User", "dave@example.com", "edit", null },
        { false, "User", "dave@example.com", "view", null },
        { false, null, "  dave@example.com ", "edit", null },
        { false, "User", "dave@example.com", "admin", "admin_role_admin_only" },
        { true, "User", "dave@example.com", "admin", null },
        { false, "User", "dave@example.com", "owner", "invalid_role" },
        { false, "User", "dave@example.com", "kubeflow-edit", "invalid_role" },
        { false, "User", "dave@example.com", "", "invalid_role" },
        { false, "Group", "system:authenticated", "edit", "subject_kind" },
        { false, "Group", "dave@example.com", "edit", "subject_kind" },
        { false, "ServiceAccount", "default-editor", "edit", "subject_kind" },
        { false, "User", "system:authenticated", "edit", "invalid_member" },
        { false, "User", "system:serviceaccount:alice:default-editor", "edit", "invalid_member" },
        { false, "User", "dave@example.com\r\nx", "edit", "invalid_member" },
        { false, "User", "dave\u0000@example.com", "edit", "invalid_member" },
        { false, "User", "dave@example.com\u0085", "edit", "invalid_member" },
        { false, "User", "not-an-email", "edit", "invalid_member" },
        { false, "User", "", "edit", "invalid_member" },
        { false, "User", null, "edit", "invalid_member" },
        { false, "User", new string('d', 250) + "@x.io", "edit", "invalid_member" },
        { false, "User", Alice, "edit", "owner_binding" },
        { true, "User", Alice, "view", "owner_binding" },
    };

    [Theory]
    [MemberData(nameof(MemberCases))]
    public void Member_Case_ExpectedOutcome(bool admin, string? kind, string? email, string role, string? expected)
    {
        var outcome = SharingRules.Member(new Caller(admin ? Admin : Alice, admin, "token"), Workspace(), kind, email, role, out var parsed);

        Assert.Equal(expected, outcome?.Reason);
        if (expected is null)
        {
            Assert.Equal(email!.Trim(), parsed);
        }
    }

    public static TheoryData<string, bool, bool, string?> ReadCases => new()
    {
        { Alice, false, true, null },
        { "bob@example.com", false, true, null },
        { "mallory@example.com", false, true, "not_member" },
        { "mallory@example.com", false, false, "not_member" },
        { Admin, true, true, null },
        { Admin, true, false, "not_found" },
    };

    [Theory]
    [MemberData(nameof(ReadCases))]
    public void Read_Case_ExpectedOutcome(string caller, bool admin, bool exists, string? expected) =>
        Assert.Equal(expected, SharingRules.Read(new Caller(caller, admin, "token"), exists ? Workspace() : null, "alice")?.Reason);

    [Theory]
    [InlineData(false, "admin_only")]
    [InlineData(true, null)]
    public void ReadAll_Case_ClusterAdminsOnly(bool admin, string? expected) =>
        Assert.Equal(expected, SharingRules.ReadAll(new Caller(admin ? Admin : Alice, admin, "token"))?.Reason);

    [Theory]
    [InlineData(Alice, false, false, true, "delete_admin_only")]
    [InlineData(Alice, false, true, true, null)]
    [InlineData("bob@example.com", false, true, true, "not_owner")]
    [InlineData(Admin, true, false, true, null)]
    [InlineData(Admin, true, false, false, "not_found")]
    public void Delete_Case_ExpectedOutcome(string caller, bool admin, bool nukeSelf, bool taken, string? expected) =>
        Assert.Equal(expected, Rules(nukeSelf: nukeSelf).Delete(new Caller(caller, admin, "token"), Workspace(), "alice", taken)?.Reason);
}
