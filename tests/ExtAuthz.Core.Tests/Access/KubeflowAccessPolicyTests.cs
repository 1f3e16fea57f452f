using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;
using Microsoft.Extensions.Time.Testing;
using static ExtAuthz.Core.Tests.Access.Objects;

namespace ExtAuthz.Core.Tests.Access;

public sealed class KubeflowAccessPolicyTests
{
    private readonly AccessIndex _index = new(RoleMap.Default, new FakeTimeProvider());

    [Fact]
    public void Authorize_BeforeTheIndexLoaded_IsNoAccessEvenForClusterAdmins()
    {
        var policy = Policy();

        var decision = Authorize(policy, "GET", "/", Caller("admin@example.com"));

        Assert.False(policy.IsLoaded);
        Assert.Equal(ReasonCode.NoAccess, decision.Reason);
        Assert.Equal(403, decision.HttpStatus);
    }

    [Theory]
    [InlineData("alice@example.com", "GET", "/notebook/alice/nb/", true, "Granted", "Owner")]
    [InlineData("bob@example.com", "POST", "/notebook/alice/nb/", true, "Granted", "Edit")]
    [InlineData("carol@example.com", "GET", "/notebook/alice/nb/", true, "Granted", "View")]
    [InlineData("carol@example.com", "HEAD", "/notebook/alice/nb/", true, "Granted", "View")]
    [InlineData("carol@example.com", "POST", "/notebook/alice/nb/", false, "ReadOnly", "View")]
    [InlineData("carol@example.com", "DELETE", "/api/namespaces/alice/notebooks/nb", false, "ReadOnly", "View")]
    [InlineData("mallory@example.com", "GET", "/notebook/alice/nb/", false, "NoAccess", "None")]
    [InlineData("mallory@example.com", "GET", "/notebook/nobody/nb/", false, "NoAccess", "None")]
    [InlineData("mallory@example.com", "GET", "/jupyter/", true, "Authenticated", "None")]
    [InlineData("admin@example.com", "DELETE", "/notebook/alice/nb/", true, "ClusterAdmin", "ClusterAdmin")]
    [InlineData("admin@example.com", "GET", "/notebook/nobody/nb/", true, "ClusterAdmin", "ClusterAdmin")]
    [InlineData("ADMIN@example.com", "GET", "/kfam/v1/bindings?namespace=alice", false, "AdminOnly", "None")]
    [InlineData("ADMIN@example.com", "GET", "/notebook/alice/nb/", false, "NoAccess", "None")]
    [InlineData("Alice@example.com", "GET", "/notebook/alice/nb/", false, "NoAccess", "None")]
    [InlineData("trudy@example.com", "GET", "/notebook/kubeflow/nb/", false, "NoAccess", "None")]
    [InlineData("friend@example.com", "GET", "/notebook/kubeflow/nb/", false, "NoAccess", "None")]
    [InlineData("admin@example.com", "GET", "/notebook/kubeflow/nb/", true, "ClusterAdmin", "ClusterAdmin")]
    [InlineData("alice@example.com", "GET", "/kfam/v1/bindings?namespace=alice", false, "AdminOnly", "None")]
    [InlineData("alice@example.com", "GET", "/katib/fetch_experiments/?namespace=alice&namespace=bob", false, "NamespaceConflict", "None")]
    [InlineData("admin@example.com", "GET", "/katib/fetch_experiments/?namespace=alice&namespace=bob", false, "NamespaceConflict", "None")]
    [InlineData("alice@example.com", "GET", "/notebook/Alice/nb/", false, "NoAccess", "None")]
    [InlineData("alice@example.com", "GET", "/jupyter/api/namespaces/alice/secrets", false, "UnknownRoute", "None")]
    [InlineData("admin@example.com", "GET", "/jupyter/api/namespaces/alice/secrets", true, "ClusterAdmin", "ClusterAdmin")]
    public void Authorize_DecisionOrder(string user, string method, string target, bool allowed, string reason, string role)
    {
        Load();

        var decision = Authorize(Policy(), method, target, Caller(user));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(reason, decision.Reason.ToString());
        Assert.Equal(role, decision.Role.ToString());
        Assert.Equal(allowed ? 200 : 403, decision.HttpStatus);
    }

    [Fact]
    public void Authorize_ViewerWebSocket_IsReadOnly()
    {
        Load();
        var input = Input("GET", "/notebook/alice/nb/api/kernels/k1/channels");
        input.AddHeader(HeaderSlots.Upgrade, "websocket");

        var decision = Policy().Authorize(input, PathNormalizer.Normalize(input.Path), Caller("carol@example.com"));

        Assert.Equal(ReasonCode.ReadOnly, decision.Reason);
        Assert.Contains("upgrade: websocket", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_EditorWebSocket_IsAllowed()
    {
        Load();
        var input = Input("GET", "/notebook/alice/nb/api/kernels/k1/channels");
        input.AddHeader(HeaderSlots.Upgrade, "websocket");

        Assert.True(Policy().Authorize(input, PathNormalizer.Normalize(input.Path), Caller("bob@example.com")).Allowed);
    }

    [Fact]
    public void Authorize_DetailAndNamespace()
    {
        Load();

        var decision = Authorize(Policy(), "GET", "/notebook/alice/nb/", Caller("carol@example.com"));

        Assert.Equal("alice", decision.Namespace);
        Assert.Equal("RoleBinding user-carol-example-com-clusterrole-view in alice (view)", decision.Detail);
    }

    [Fact]
    public void Authorize_MissingAndForbiddenNamespacesLookTheSameToTheClient()
    {
        Load();
        var policy = Policy();

        var missing = Authorize(policy, "GET", "/notebook/nobody/nb/", Caller("mallory@example.com"));
        var forbidden = Authorize(policy, "GET", "/notebook/alice/nb/", Caller("mallory@example.com"));

        Assert.Equal((missing.HttpStatus, missing.Reason), (forbidden.HttpStatus, forbidden.Reason));
        Assert.NotEqual(missing.Detail, forbidden.Detail);
    }

    [Fact]
    public void DryRun_ProfileAnnotated_AllowsButKeepsTheDenyReason()
    {
        ProfileRecord[] profiles = [Profile("alice", "alice@example.com", dryRun: true), Profile("bob", "bob@example.com")];
        _index.ReplaceAll(profiles, [], Adopting(profiles));
        var policy = Policy();
        var dryRun = DryRunPolicy.For(global: false, _index);

        var dry = dryRun.Apply(Authorize(policy, "GET", "/notebook/alice/nb/", Caller("mallory@example.com")));
        var enforced = dryRun.Apply(Authorize(policy, "GET", "/notebook/bob/nb/", Caller("mallory@example.com")));

        Assert.True(dry.Allowed);
        Assert.True(dry.DryRun);
        Assert.Equal(ReasonCode.NoAccess, dry.Reason);
        Assert.False(enforced.Allowed);
        Assert.True(dryRun.AppliesTo("alice"));
        Assert.False(dryRun.AppliesTo("bob"));
    }

    [Fact]
    public void DryRun_Global_AllowsEveryDeny()
    {
        Load();
        var decision = DryRunPolicy.For(global: true, _index).Apply(Authorize(Policy(), "GET", "/kfam/v1/bindings", Caller("mallory@example.com")));

        Assert.True(decision.Allowed);
        Assert.True(decision.DryRun);
        Assert.Equal(ReasonCode.AdminOnly, decision.Reason);
    }

    [Theory]
    [InlineData("bob@example.com", ReasonCode.Granted, "ml-team")]
    [InlineData("mallory@example.com", ReasonCode.NoAccess)]
    [InlineData("mallory@example.com", ReasonCode.NoAccess, "staff", "ML-TEAM-2")]
    [InlineData("admin@example.com", ReasonCode.ClusterAdmin)]
    public void Authorize_WarmGrantOrNoGrant_AllocatesNothing(string user, ReasonCode expected, params string[] groups)
    {
        Load();
        var policy = Policy();
        var input = Input("GET", "/notebook/alice/nb/api/kernels");
        var path = PathNormalizer.Normalize(input.Path);
        var caller = Caller(user, groups);
        policy.Authorize(input, path, caller);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Decision decision = default;
        for (var i = 0; i < 100; i++)
        {
            decision = policy.Authorize(input, path, caller);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(expected, decision.Reason);
        Assert.Equal("alice", decision.Namespace);
    }

    [Theory]
    [InlineData("Bob@example.com", "a grant exists for bob@example.com, which differs only in case")]
    [InlineData("Carol@Example.com", "a grant exists for carol@example.com, which differs only in case")]
    [InlineData("Admin@Example.com", "cluster admin admin@example.com differs only in case")]
    [InlineData("dave@example.com", "the user has no grant in the namespace")]
    public void Authorize_NoGrant_NamesANearMissOnly(string user, string detail)
    {
        Load();

        var decision = Authorize(Policy(), "GET", "/notebook/alice/nb/", Caller(user));

        Assert.Equal((ReasonCode.NoAccess, 403), (decision.Reason, decision.HttpStatus));
        Assert.EndsWith(detail, decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_NoGrant_NearMissOfAGroupIsNamed()
    {
        Load();

        var decision = Authorize(Policy(), "GET", "/notebook/bob/nb/", Caller("someone@example.com", "staff", "ML-Team"));

        Assert.Equal(ReasonCode.NoAccess, decision.Reason);
        Assert.EndsWith("a grant exists for group ml-team, which differs only in case", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_UnadoptedProfile_ExplainsWhyAndIsNoProfileNamespace()
    {
        Load();

        var decision = Authorize(Policy(), "POST", "/api/namespaces/kubeflow/notebooks", Caller("trudy@example.com"));

        Assert.Equal((ReasonCode.NoAccess, "kubeflow"), (decision.Reason, decision.Namespace));
        Assert.Equal("profile kubeflow is not adopted: namespace kubeflow has no owner annotation (the profile names 'trudy@example.com')", decision.Detail);
        Assert.False(_index.Current!.IsProfileNamespace("kubeflow"));
        Assert.False(_index.Current.TryGet("kubeflow", out _));
    }

    [Theory]
    [InlineData("alice@example.com", "GET", true, "Owner")]
    [InlineData("bob@example.com", "POST", true, "Edit")]
    [InlineData("carol@example.com", "GET", true, "View")]
    [InlineData("trudy@example.com", "GET", false, "None")]
    public void Authorize_SidecarOnAWebAppInKubeflow_WithAStrangersProfileNamedKubeflow_ReadsThePath(string user, string method, bool allowed, string role)
    {
        Load();
        var input = Input(method, "/api/namespaces/alice/notebooks");
        input.DestinationPrincipal = "spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app-service-account";

        var decision = Policy().Authorize(input, PathNormalizer.Normalize(input.Path), Caller(user));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? ReasonCode.Granted : ReasonCode.NoAccess, decision.Reason);
        Assert.Equal(role, decision.Role.ToString());
        Assert.Equal("alice", decision.Namespace);
    }

    [Theory]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/x", "spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app-service-account", "GET", "/api/namespaces/alice/notebooks", false)]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "spiffe://cluster.local/ns/alice/sa/nb", "POST", "/api/x", true)]
    [InlineData("spiffe://cluster.local/ns/bob/sa/default-editor", "spiffe://cluster.local/ns/alice/sa/nb", "GET", "/", false)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/x", "spiffe://cluster.local/ns/kubeflow/sa/y", "GET", "/", false)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/notebook-controller-service-account", "spiffe://cluster.local/ns/alice/sa/nb", "GET", "/notebook/alice/nb/api/kernels", true)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/notebook-controller-service-account", "", "GET", "/notebook/alice/nb/api/kernels?x=1", true)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/notebook-controller-service-account", "", "POST", "/notebook/alice/nb/api/kernels", false)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/notebook-controller-service-account", "", "GET", "/notebook/alice/nb/api/kernels/k1", false)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/other", "", "GET", "/notebook/alice/nb/api/kernels", false)]
    [InlineData("", "spiffe://cluster.local/ns/alice/sa/nb", "GET", "/", false)]
    public void AuthorizeServiceCaller(string source, string destination, string method, string target, bool allowed)
    {
        Load();
        var input = Input(method, target);
        input.SourcePrincipal = source;
        input.DestinationPrincipal = destination;

        var decision = Policy().AuthorizeServiceCaller(input, PathNormalizer.Normalize(target));

        Assert.Equal(allowed, decision is { Allowed: true, Reason: ReasonCode.ServiceCaller, Principal: null });
    }

    /// <summary>
    /// What each decision says besides allow or deny: the namespace it names (a value read from the path or a Profile,
    /// never one from the query) and the detail an operator reads.
    /// </summary>
    public static TheoryData<string, string, string, string, string?, string> Explained => new()
    {
        // user, method, target, reason, namespace, detail
        { "mallory@example.com", "GET", "/notebook/nobody/nb/", "NoAccess", "nobody", "no Profile named nobody" },
        { "mallory@example.com", "GET", "/notebook/alice/nb/", "NoAccess", "alice", "the user has no grant in the namespace" },
        { "mallory@example.com", "GET", "/notebook/Alice/nb/", "NoAccess", null, "'Alice' is not a namespace name (notebooks /notebook/{ns}/{name}/**)" },
        { "mallory@example.com", "GET", "/katib/fetch_experiments/?namespace=nobody", "NoAccess", null, "no Profile named by a query parameter's value (katib-ui /katib/fetch_experiments/**)" },
        { "mallory@example.com", "GET", "/katib/fetch_experiments/?namespace=No_Body", "NoAccess", null, "a query parameter's value is not a namespace name (katib-ui /katib/fetch_experiments/**)" },
        { "mallory@example.com", "GET", "/katib/fetch_experiments/?namespace=alice&namespace=bob", "NamespaceConflict", null, "the request names namespaces a query parameter's value and a query parameter's value (katib-ui /katib/fetch_experiments/**)" },
        { "admin@example.com", "GET", "/notebook/nobody/nb/", "ClusterAdmin", "nobody", "cluster admin admin@example.com (Policy:ClusterAdmins)" },
        { "admin@example.com", "GET", "/notebook/alice/nb/", "ClusterAdmin", "alice", "cluster admin admin@example.com (Policy:ClusterAdmins)" },
        { "admin@example.com", "GET", "/jupyter/", "ClusterAdmin", null, "cluster admin admin@example.com (Policy:ClusterAdmins)" },
        { "admin@example.com", "GET", "/kfam/v1/bindings", "ClusterAdmin", null, "cluster admin admin@example.com (Policy:ClusterAdmins)" },
        { "alice@example.com", "GET", "/kfam/v1/bindings", "AdminOnly", null, "the path is an admin path (Policy:AdminPaths)" },
        { "ADMIN@example.com", "GET", "/kfam/v1/bindings", "AdminOnly", null, "the path is an admin path (Policy:AdminPaths); cluster admin admin@example.com differs only in case" },
        { "admin@example.com", "GET", "/jupyter/api/namespaces/alice/secrets", "ClusterAdmin", null, "cluster admin admin@example.com (Policy:ClusterAdmins)" },
        { "alice@example.com", "GET", "/jupyter/", "Authenticated", null, "the request names no namespace" },
        { "alice@example.com", "GET", "/notebook/alice/nb/", "Granted", "alice", "owner of profile alice" },
        { "carol@example.com", "POST", "/notebook/alice/nb/", "ReadOnly", "alice", "RoleBinding user-carol-example-com-clusterrole-view in alice (view) allows no POST" },
    };

    [Theory]
    [MemberData(nameof(Explained))]
    public void Authorize_ReasonNamespaceAndDetail(string user, string method, string target, string reason, string? ns, string detail)
    {
        Load();

        var decision = Authorize(Policy(), method, target, Caller(user));

        Assert.Equal((reason, ns, detail), (decision.Reason.ToString(), decision.Namespace, decision.Detail));
    }

    [Fact]
    public void AuthorizeServiceCaller_SameProfileNamespace_NamesItAndSaysWhy()
    {
        Load();
        var input = Input("POST", "/api/x");
        input.SourcePrincipal = "spiffe://cluster.local/ns/alice/sa/default-editor";
        input.DestinationPrincipal = "spiffe://cluster.local/ns/alice/sa/nb";

        var decision = Policy().AuthorizeServiceCaller(input, PathNormalizer.Normalize("/api/x"));

        Assert.Equal(("alice", "source.principal is in the destination's profile namespace"), (decision?.Namespace, decision?.Detail));
    }

    [Fact]
    public void Describe_ReportsCountsAndSource()
    {
        Load();

        var text = System.Text.Json.JsonSerializer.Serialize(Policy().Describe(new { kind = "test" }));

        Assert.Contains("\"loaded\":true", text, StringComparison.Ordinal);
        Assert.Contains("\"profiles\":2", text, StringComparison.Ordinal);
        Assert.Contains("\"unadoptedProfiles\":1", text, StringComparison.Ordinal);
        Assert.Contains("\"roleBindings\":4", text, StringComparison.Ordinal);
        Assert.Contains("\"source\":{\"kind\":\"test\"}", text, StringComparison.Ordinal);
    }

    private void Load() => _index.ReplaceAll(
        [Profile("alice", "alice@example.com"), Profile("bob", "bob@example.com"), Profile("kubeflow", "trudy@example.com")],
        [
            Binding("alice", "user-bob-example-com-clusterrole-edit", "kubeflow-edit", User("bob@example.com")),
            Binding("alice", "user-carol-example-com-clusterrole-view", "kubeflow-view", User("carol@example.com")),
            Binding("bob", "ml-team-edit", "kubeflow-edit", Group("ml-team")),
            Binding("kubeflow", "user-friend-example-com-clusterrole-edit", "kubeflow-edit", User("friend@example.com")),
        ],
        [new NamespaceRecord("alice", "alice@example.com"), new NamespaceRecord("bob", "bob@example.com"), new NamespaceRecord("kubeflow", null)]);

    private static ExtAuthzOptions Options()
    {
        var options = new ExtAuthzOptions();
        options.Policy.ClusterAdmins = ["admin@example.com"];
        options.ApplyDefaults();
        return options;
    }

    private KubeflowAccessPolicy Policy() => KubeflowAccessPolicy.Create(Options().Policy, _index);

    private static CheckInput Input(string method, string target) =>
        new(HeaderSlots.Default) { HasHttp = true, Method = method, Path = target, Host = "kubeflow.example.com" };

    private static Decision Authorize(KubeflowAccessPolicy policy, string method, string target, Principal caller)
    {
        var input = Input(method, target);
        return policy.Authorize(input, PathNormalizer.Normalize(target), caller);
    }
}
