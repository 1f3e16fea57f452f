using ExtAuthz.Core.Access;
using ExtAuthz.Core.Decisions;
using Microsoft.Extensions.Time.Testing;
using static ExtAuthz.Core.Tests.Access.Objects;

namespace ExtAuthz.Core.Tests.Access;

/// <summary>The profile controller's adoption rule in the index: a Profile counts only while its Namespace agrees.</summary>
public sealed class AdoptionIndexTests
{
    private const string Alice = "alice@example.com";
    private readonly AccessIndex _index = new(RoleMap.Default, new FakeTimeProvider());

    public static TheoryData<string, NamespaceRecord?, string?> Namespaces => new()
    {
        { "annotation equal", new NamespaceRecord("alice", Alice), null },
        { "annotation differs", new NamespaceRecord("alice", "bob@example.com"),
            "profile alice is not adopted: namespace alice has owner annotation 'bob@example.com', the profile names 'alice@example.com'" },
        { "annotation differs only in case", new NamespaceRecord("alice", "Alice@example.com"),
            "profile alice is not adopted: namespace alice has owner annotation 'Alice@example.com', the profile names 'alice@example.com'" },
        { "annotation with a trailing space", new NamespaceRecord("alice", Alice + " "),
            "profile alice is not adopted: namespace alice has owner annotation 'alice@example.com ', the profile names 'alice@example.com'" },
        { "annotation missing", new NamespaceRecord("alice", null),
            "profile alice is not adopted: namespace alice has no owner annotation (the profile names 'alice@example.com')" },
        { "Namespace absent", null, "profile alice is not adopted: the namespace alice does not exist" },
    };

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void ReplaceAll_ProfileCountsOnlyWhenItsNamespaceAgrees(string because, NamespaceRecord? ns, string? refusal)
    {
        _index.ReplaceAll([Profile("alice", Alice)], [Binding("alice", "b", "kubeflow-edit", User("bob@example.com"))], ns is null ? [] : [ns]);

        var snapshot = _index.Current!;
        var adopted = refusal is null;
        Assert.True(adopted == snapshot.IsProfileNamespace("alice"), because);
        Assert.Equal(adopted, snapshot.TryGet("alice", out _));
        Assert.Equal(adopted ? 1 : 0, snapshot.ProfileCount);
        Assert.Equal(adopted ? 0 : 1, snapshot.UnadoptedCount);
        Assert.Equal(refusal is not null, snapshot.TryGetUnadopted("alice", out var reason));
        Assert.Equal(refusal, refusal is null ? null : reason);
        Assert.Equal(1, snapshot.RoleBindingCount);
    }

    [Fact]
    public void NamespaceEvents_AdoptAndUnadoptOneNamespace()
    {
        _index.ReplaceAll([Profile("alice", Alice), Profile("bob", "bob@example.com")], [Binding("alice", "b", "kubeflow-edit", User("carol@example.com"))],
            [new NamespaceRecord("bob", "bob@example.com")]);
        var bob = _index.Current!.Find("bob");
        Assert.Null(_index.Current.Find("alice"));

        // Adopted later by a Namespace event; bob's namespace is not rebuilt.
        _index.UpsertNamespace(new NamespaceRecord("alice", Alice));
        Assert.Equal(AccessRole.Owner, _index.Current!.Find("alice")!.Find(Caller(Alice))!.Role);
        Assert.Equal(AccessRole.Edit, _index.Current.Find("alice")!.Find(Caller("carol@example.com"))!.Role);
        Assert.Same(bob, _index.Current.Find("bob"));
        Assert.Equal((2, 0), (_index.Current.ProfileCount, _index.Current.UnadoptedCount));

        // The annotation changes: unadopted again, with the reason.
        _index.UpsertNamespace(new NamespaceRecord("alice", "mallory@example.com"));
        Assert.Null(_index.Current!.Find("alice"));
        Assert.True(_index.Current.TryGetUnadopted("alice", out var reason));
        Assert.Contains("'mallory@example.com'", reason, StringComparison.Ordinal);

        // Back, then the Namespace is deleted: the Profile stays and grants nothing.
        _index.UpsertNamespace(new NamespaceRecord("alice", Alice));
        Assert.NotNull(_index.Current!.Find("alice"));
        _index.DeleteNamespace("alice");
        Assert.Null(_index.Current!.Find("alice"));
        Assert.True(_index.Current.TryGetUnadopted("alice", out reason));
        Assert.EndsWith("the namespace alice does not exist", reason, StringComparison.Ordinal);
        Assert.Equal((1, 1), (_index.Current.ProfileCount, _index.Current.UnadoptedCount));

        // The Profile goes: nothing left to explain.
        _index.DeleteProfile("alice");
        Assert.False(_index.Current!.TryGetUnadopted("alice", out _));
        Assert.Equal((1, 0), (_index.Current.ProfileCount, _index.Current.UnadoptedCount));
    }

    [Fact]
    public void ProfileOwnerChange_UnadoptsUntilTheNamespaceFollows()
    {
        _index.ReplaceAll([Profile("alice", Alice)], [], [new NamespaceRecord("alice", Alice)]);

        _index.UpsertProfile(Profile("alice", "mallory@example.com"));
        Assert.Null(_index.Current!.Find("alice"));

        _index.UpsertNamespace(new NamespaceRecord("alice", "mallory@example.com"));
        Assert.Equal(AccessRole.Owner, _index.Current!.Find("alice")!.Find(Caller("mallory@example.com"))!.Role);
        Assert.Null(_index.Current.Find("alice")!.Find(Caller(Alice)));
    }

    [Fact]
    public void ReplaceNamespaces_RelistDropsNamespacesNotListed()
    {
        _index.ReplaceAll([Profile("alice", Alice), Profile("bob", "bob@example.com")], [],
            [new NamespaceRecord("alice", Alice), new NamespaceRecord("bob", "bob@example.com")]);

        _index.ReplaceNamespaces([new NamespaceRecord("bob", "bob@example.com"), new NamespaceRecord("kube-system", null)]);

        Assert.Null(_index.Current!.Find("alice"));
        Assert.NotNull(_index.Current.Find("bob"));
        Assert.False(_index.Current.IsProfileNamespace("kube-system"));
        Assert.Equal(["alice"], _index.Current.Unadopted.Select(u => u.Key));
    }

    [Fact]
    public void Refusal_LongAnnotation_IsCutShort()
    {
        var reason = ProfileAdoption.Refusal(Profile("alice", Alice), new NamespaceRecord("alice", new string('x', 100_000)));

        Assert.NotNull(reason);
        Assert.True(reason.Length < 400, $"{reason.Length} characters");
        Assert.Contains(new string('x', 128) + "…'", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(128, false)]
    [InlineData(129, true)]
    public void Refusal_AnnotationOf128Characters_KeptWhole(int length, bool cut)
    {
        var reason = ProfileAdoption.Refusal(Profile("alice", Alice), new NamespaceRecord("alice", new string('x', length)))!;

        Assert.Equal(cut, reason.Contains("…'", StringComparison.Ordinal));
        Assert.Contains($"'{new string('x', 128)}", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NamespaceWithoutProfile_IsNoProfileNamespace()
    {
        _index.ReplaceAll([], [Binding("team", "b", "kubeflow-edit", User(Alice))], [new NamespaceRecord("team", Alice)]);

        Assert.False(_index.Current!.IsProfileNamespace("team"));
        Assert.Equal((0, 0), (_index.Current.ProfileCount, _index.Current.UnadoptedCount));
    }
}
