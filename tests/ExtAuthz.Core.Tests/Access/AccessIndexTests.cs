using ExtAuthz.Core.Access;
using ExtAuthz.Core.Decisions;
using Microsoft.Extensions.Time.Testing;
using static ExtAuthz.Core.Tests.Access.Objects;

namespace ExtAuthz.Core.Tests.Access;

public sealed class AccessIndexTests
{
    private readonly AccessIndex _index = new(RoleMap.Default, new FakeTimeProvider());

    [Fact]
    public void Current_BeforeEveryResourceSynced_IsNull()
    {
        _index.ReplaceProfiles([Profile("alice", "alice@example.com")]);
        Assert.Null(_index.Current);

        _index.UpsertRoleBinding(Binding("alice", "b", "kubeflow-edit", User("bob@example.com")));
        _index.UpsertNamespace(new NamespaceRecord("alice", "alice@example.com"));
        Assert.Null(_index.Current);

        _index.ReplaceRoleBindings([]);
        Assert.Null(_index.Current);

        _index.ReplaceNamespaces([new NamespaceRecord("alice", "alice@example.com")]);
        Assert.NotNull(_index.Current);
        Assert.Equal(1, _index.Current!.ProfileCount);
    }

    [Fact]
    public void UpsertRoleBinding_RebuildsOnlyTheNamespaceItTouches()
    {
        Load([Profile("alice", "alice@example.com"), Profile("bob", "bob@example.com")], []);
        var before = _index.Current!;
        var bobBefore = before.Find("bob");

        _index.UpsertRoleBinding(Binding("alice", "user-carol", "kubeflow-view", User("carol@example.com")));

        var after = _index.Current!;
        Assert.NotSame(before, after);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Same(bobBefore, after.Find("bob"));
        Assert.NotSame(before.Find("alice"), after.Find("alice"));
        Assert.Null(before.Find("alice")!.Find(Caller("carol@example.com")));
        Assert.Equal(AccessRole.View, after.Find("alice")!.Find(Caller("carol@example.com"))!.Role);
    }

    [Fact]
    public void DeleteProfile_KeepsItsBindingsForWhenItComesBack()
    {
        Load([Profile("alice", "alice@example.com")], [Binding("alice", "user-bob", "kubeflow-edit", User("bob@example.com"))]);

        _index.DeleteProfile("alice");
        Assert.Null(_index.Current!.Find("alice"));
        Assert.Equal(1, _index.Current.RoleBindingCount);

        _index.UpsertProfile(Profile("alice", "alice@example.com"));
        Assert.Equal(AccessRole.Edit, _index.Current!.Find("alice")!.Find(Caller("bob@example.com"))!.Role);
    }

    [Fact]
    public void DeleteRoleBinding_RemovesTheGrant()
    {
        Load([Profile("alice", "alice@example.com")], [Binding("alice", "user-bob", "kubeflow-edit", User("bob@example.com"))]);

        _index.DeleteRoleBinding("alice", "user-bob");

        Assert.Null(_index.Current!.Find("alice")!.Find(Caller("bob@example.com")));
        Assert.Equal(0, _index.Current.RoleBindingCount);
    }

    [Fact]
    public void DeleteOfSomethingUnknown_PublishesNothing()
    {
        Load([Profile("alice", "alice@example.com")], []);
        var version = _index.Current!.Version;

        _index.DeleteRoleBinding("alice", "nope");
        _index.DeleteProfile("nope");
        _index.DeleteNamespace("nope");

        Assert.Equal(version, _index.Current!.Version);
    }

    [Fact]
    public void ReplaceRoleBindings_DropsBindingsNotListed()
    {
        Load([Profile("alice", "alice@example.com")],
            [Binding("alice", "user-bob", "kubeflow-edit", User("bob@example.com")), Binding("alice", "user-carol", "kubeflow-view", User("carol@example.com"))]);

        _index.ReplaceRoleBindings([Binding("alice", "user-carol", "kubeflow-view", User("carol@example.com"))]);

        var alice = _index.Current!.Find("alice")!;
        Assert.Null(alice.Find(Caller("bob@example.com")));
        Assert.NotNull(alice.Find(Caller("carol@example.com")));
        Assert.Equal(1, _index.Current.RoleBindingCount);
    }

    [Fact]
    public void Published_RaisedOncePerChange()
    {
        var seen = new List<long>();
        _index.Published += s => seen.Add(s.Version);

        Load([Profile("alice", "alice@example.com")], []);
        _index.UpsertProfile(Profile("bob", "bob@example.com"));

        Assert.Equal([1L, 2L], seen);
    }

    [Fact]
    public void Snapshot_ReadersKeepTheirVersionWhileTheWriterMovesOn()
    {
        Load([Profile("alice", "alice@example.com")], []);
        var held = _index.Current!;

        _index.DeleteProfile("alice");

        Assert.NotNull(held.Find("alice"));
        Assert.Null(_index.Current!.Find("alice"));
    }

    [Fact]
    public void ReplaceProfiles_AfterTheFirstSync_DropsProfilesNotListedAndAddsNewOnes()
    {
        ProfileRecord[] profiles = [Profile("alice", "alice@example.com"), Profile("bob", "bob@example.com"), Profile("carol", "carol@example.com")];
        _index.ReplaceAll(profiles[..2], [], Adopting(profiles));

        _index.ReplaceProfiles(profiles[1..]);

        Assert.Null(_index.Current!.Find("alice"));
        Assert.NotNull(_index.Current.Find("bob"));
        Assert.NotNull(_index.Current.Find("carol"));
        Assert.Equal(2, _index.Current.ProfileCount);
    }

    [Fact]
    public void ReplaceRoleBindings_SameNameListedTwice_LaterWinsCountedOnce()
    {
        Load([Profile("alice", "alice@example.com")], []);

        _index.ReplaceRoleBindings([
            Binding("alice", "user-bob", "kubeflow-view", User("bob@example.com")),
            Binding("alice", "user-bob", "kubeflow-edit", User("bob@example.com")),
        ]);

        Assert.Equal(AccessRole.Edit, _index.Current!.Find("alice")!.Find(Caller("bob@example.com"))!.Role);
        Assert.Equal(1, _index.Current.RoleBindingCount);
    }

    [Fact]
    public void UpsertRoleBinding_NewOrReplaced_CountsEachBindingOnce()
    {
        Load([Profile("alice", "alice@example.com")], []);

        _index.UpsertRoleBinding(Binding("alice", "user-bob", "kubeflow-view", User("bob@example.com")));
        Assert.Equal(1, _index.Current!.RoleBindingCount);

        _index.UpsertRoleBinding(Binding("alice", "user-bob", "kubeflow-edit", User("bob@example.com")));
        Assert.Equal(1, _index.Current!.RoleBindingCount);

        _index.UpsertRoleBinding(Binding("alice", "user-carol", "kubeflow-view", User("carol@example.com")));
        Assert.Equal(2, _index.Current!.RoleBindingCount);
    }

    [Fact]
    public void UpsertProfile_AlreadyKnown_CountedOnce()
    {
        _index.ReplaceAll([Profile("alice", "alice@example.com"), Profile("bob", "bob@example.com")], [], [new NamespaceRecord("alice", "alice@example.com")]);

        _index.UpsertProfile(Profile("alice", "alice@example.com", dryRun: true));
        _index.UpsertProfile(Profile("bob", "bob@example.com", dryRun: true));

        Assert.Equal((1, 1), (_index.Current!.ProfileCount, _index.Current.UnadoptedCount));
        Assert.True(_index.Current.Find("alice")!.DryRun);
    }

    [Fact]
    public void ReplaceAll_MoreProfilesThanShards_KeepsEveryOne()
    {
        // More namespaces than shards: at least two share a shard.
        ProfileRecord[] profiles = [.. Enumerable.Range(0, 2 * NamespaceShard.Count).Select(i => Profile($"team-{i}", $"owner-{i}@example.com"))];

        Load(profiles, []);

        Assert.Equal(profiles.Length, _index.Current!.All.Count());
        Assert.All(profiles, p => Assert.NotNull(_index.Current.Find(p.Name)));
    }

    [Fact]
    public void Unadopted_InNameOrder()
    {
        _index.ReplaceAll([Profile("carol", "carol@example.com"), Profile("alice", "alice@example.com"), Profile("bob", "bob@example.com")], [], []);

        Assert.Equal(["alice", "bob", "carol"], _index.Current!.Unadopted.Select(u => u.Key));
    }

    private void Load(ProfileRecord[] profiles, RoleBindingRecord[] bindings) => _index.ReplaceAll(profiles, bindings, Adopting(profiles));
}
