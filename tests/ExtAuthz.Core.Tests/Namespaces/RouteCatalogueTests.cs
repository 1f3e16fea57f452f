using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Namespaces.Catalogue;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;
using Microsoft.Extensions.Time.Testing;
using static ExtAuthz.Core.Tests.Access.Objects;

namespace ExtAuthz.Core.Tests.Namespaces;

/// <summary>
/// The shipped catalogue, driven by its own data: every route carries examples, each example must be matched by that
/// route and name its namespace (owner allowed, stranger denied), and every app has an unknown route that fails closed.
/// </summary>
public sealed class RouteCatalogueTests
{
    private const string ProfileWorkload = "spiffe://cluster.local/ns/alice/sa/default-editor";
    private static readonly RouteCatalogue s_catalogue = RouteCatalogue.Default;
    private static readonly RouteTable s_table = new(s_catalogue.Apps);
    private static readonly Profiles s_profiles = new("alice", "bob");

    /// <summary>One path per app that lies under the app but matches none of its routes.</summary>
    public static TheoryData<string, string, string, string> Unknown => new()
    {
        { "central-dashboard", "GET", "/api/secrets/alice", "" },
        { "kfam", "GET", "/kfam/v2/bindings", "" },
        { "jupyter-web-app", "POST", "/jupyter/api/namespaces/alice/secrets", "" },
        { "volumes-web-app", "GET", "/volumes/api/namespaces/alice/snapshots", "" },
        { "tensorboards-web-app", "PUT", "/tensorboards/api/namespaces/alice/tensorboards/tb", "" },
        { "notebooks", "GET", "/notebook/alice", "" },
        { "tensorboards", "GET", "/tensorboard/alice", "" },
        { "pvc-viewers", "GET", "/pvcviewers/alice", "" },
        { "katib-ui", "GET", "/katib/fetch_secrets/?namespace=alice", "" },
        { "pipelines-api", "GET", "/pipeline/apis/v2beta1/secrets?namespace=alice", "" },
        { "pipelines-ui", "GET", "/pipeline/k8s/secrets?podnamespace=alice", "" },
        { "kserve-models-web-app", "GET", "/kserve-endpoints/api/namespaces/alice/secrets", "" },
        { "kserve-serving-paths", "GET", "/serving/alice", "" },
        { "model-registry-ui", "GET", "/model-registry/api/v2/model_registry?namespace=alice", "" },
        { "model-registry-rest", "DELETE", "/x", "spiffe://cluster.local/ns/kubeflow/sa/model-registry-server" },
    };

    /// <summary>Apps one catch-all route describes entirely (their backend treats every path alike): nothing is unknown under them.</summary>
    private static readonly string[] s_fullyCovered = ["pipelines-tensorboard-viewer", "ml-metadata", "model-catalog-rest"];

    public static TheoryData<string, int> Routes()
    {
        var data = new TheoryData<string, int>();
        foreach (var app in s_catalogue.Apps)
        {
            for (var i = 0; i < app.Routes.Count; i++)
            {
                data.Add(app.Name, i);
            }
        }

        return data;
    }

    public static TheoryData<string, int, int> Examples()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var app in s_catalogue.Apps)
        {
            for (var i = 0; i < app.Routes.Count; i++)
            {
                for (var e = 0; e < app.Routes[i].Examples.Count; e++)
                {
                    data.Add(app.Name, i, e);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Shipped_LoadsWithoutErrorsAndCitesItsSources()
    {
        var errors = new List<string>();

        var catalogue = RouteCatalogue.Load([], [], errors);

        Assert.Empty(errors);
        Assert.All(catalogue.Apps, app => Assert.NotEmpty(app.Sources));
        Assert.Equal(
            ["central-dashboard", "jupyter-web-app", "katib-ui", "kfam", "kserve-inference-hosts", "kserve-models-web-app", "kserve-serving-paths",
             "ml-metadata", "model-catalog-rest", "model-registry-rest", "model-registry-ui", "notebooks", "pipelines-api",
             "pipelines-tensorboard-viewer", "pipelines-ui", "pvc-viewers", "tensorboards", "tensorboards-web-app", "volumes-web-app"],
            catalogue.Apps.Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void Route_HasAnExample(string app, int route)
    {
        Assert.NotEmpty(App(app).Routes[route].Examples);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_IsMatchedByItsRouteAndNamesItsNamespace(string appName, int routeIndex, int exampleIndex)
    {
        var (app, route, example) = Example(appName, routeIndex, exampleIndex);
        var selection = !example.AtWorkload ? RouteSelection.Gateway
            : app.ProfileWorkload ? RouteSelection.ProfileNamespace
            : RouteSelection.ForApp(s_table.AppOf("spiffe://" + app.Principals[0]));
        var path = PathNormalizer.Normalize(example.Path);

        var result = s_table.Resolve(path, example.Method, selection, s_profiles);

        Assert.False(path.IsAmbiguous);
        Assert.Equal(RouteOutcome.Matched, result.Outcome);
        Assert.Same(route, result.Route!.Route);
        Assert.Equal(example.Namespace, result.Namespace.Outcome == NamespaceOutcome.Found ? result.Namespace.Value.ToString() : null);
        Assert.Equal(example.Namespace is null ? NamespaceOutcome.None : NamespaceOutcome.Found, result.Namespace.Outcome);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_OwnerAllowedStrangerDenied(string appName, int routeIndex, int exampleIndex)
    {
        var (app, _, example) = Example(appName, routeIndex, exampleIndex);
        var policy = Policy();
        var destination = !example.AtWorkload ? string.Empty : app.ProfileWorkload ? ProfileWorkload : "spiffe://" + app.Principals[0];
        var expected = example.Namespace ?? (app.ProfileWorkload && example.AtWorkload ? "alice" : null);

        var owner = Decide(policy, example, destination, "alice@example.com");
        var stranger = Decide(policy, example, destination, "mallory@example.com");

        if (expected is null)
        {
            Assert.Equal((ReasonCode.Authenticated, ReasonCode.Authenticated), (owner.Reason, stranger.Reason));
            return;
        }

        var ownerNamespace = expected == "alice" ? ReasonCode.Granted : ReasonCode.NoAccess;
        Assert.Equal((ownerNamespace, expected), (owner.Reason, owner.Namespace));
        Assert.Equal((ReasonCode.NoAccess, expected), (stranger.Reason, stranger.Namespace));
    }

    [Theory]
    [MemberData(nameof(Unknown))]
    public void UnknownRouteUnderEveryApp_IsUnknownRoute(string app, string method, string target, string destination)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = method, Path = target, Host = "kubeflow.example.com", DestinationPrincipal = destination };

        var decision = Policy().Authorize(input, PathNormalizer.Normalize(target), Caller("alice@example.com"));

        Assert.Equal(ReasonCode.UnknownRoute, decision.Reason);
        Assert.Equal(403, decision.HttpStatus);
        Assert.Contains(app, decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownRouteCases_CoverEveryAppWithRoutes()
    {
        var covered = Unknown.Select(row => (string)row[0]).Concat(s_fullyCovered).ToHashSet(StringComparer.Ordinal);

        var uncovered = s_catalogue.Apps.Where(a => a.Routes.Count > 0 && !covered.Contains(a.Name)).Select(a => a.Name).ToList();

        Assert.True(uncovered.Count == 0, string.Join(", ", uncovered));
    }

    [Theory]
    [InlineData("apps: [", "bad.yaml: not YAML")]
    [InlineData("routes: []", "bad.yaml: must be one YAML document with a list 'apps'")]
    [InlineData("apps:\n- framework: flask", "bad.yaml: app #1: 'app' (its name) is missing")]
    [InlineData("apps:\n- app: a\n  framework: django\n  source: [r@1:p]\n  mount: {gateway: /a}\n  routes: [{path: /x, namespace: {none: static}, examples: ['/a/x -> none']}]", "bad.yaml: app 'a': 'framework' must be one of")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  mount: {gateway: /a}\n  routes: [{path: /x, namespace: {none: static}}]", "bad.yaml: app 'a': 'source' must cite")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /a}\n  routes: [{path: '/x/{ns', namespace: {path: ns}}]", "bad.yaml: app 'a': route '/x/{ns'")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /a}\n  routes: [{path: '/x/{name}', namespace: {path: ns}}]", "bad.yaml: app 'a': route '/x/{name}': namespace.path names {ns}")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /a}\n  routes: [{path: /x, namespace: {none: because}}]", "bad.yaml: app 'a': route '/x': namespace.none 'because' is not one of")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /a}\n  routes: [{path: /x}]", "bad.yaml: app 'a': route '/x': 'namespace' is missing")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /}\n  routes: [{path: /x, namespace: {none: static}}]", "bad.yaml: app 'a': an app mounted at the gateway's root must say which prefixes fail closed")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {workload: /a}\n  routes: [{path: /x, namespace: {none: static}}]", "bad.yaml: app 'a': a workload mount needs 'principals'")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  hosts: ['{namespace}.{name}']", "bad.yaml: app 'a': host '{namespace}.{name}' must end with .{domain}")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /a}\n  routes: [{path: /x, methods: [get], namespace: {none: static}}]", "bad.yaml: app 'a': route '/x': 'get' is not an upper-case HTTP method")]
    [InlineData("apps:\n- app: a\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /a}\n  colour: blue\n  routes: [{path: /x, namespace: {none: static}}]", "bad.yaml: app 'a': unknown key 'colour'")]
    [InlineData("apps:\n- app: jupyter-web-app\n  framework: flask\n  source: [r@1:p]\n  mount: {gateway: /a}\n  routes: [{path: /x, namespace: {none: static}}]", "app 'jupyter-web-app' is defined 2 times")]
    public void Load_BadOperatorFile_NamesFileAppRouteAndProblem(string yaml, string expected)
    {
        var file = Path.Combine(Path.GetTempPath(), $"extauthz-{Guid.NewGuid():N}", "bad.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, yaml);
        var errors = new List<string>();
        try
        {
            RouteCatalogue.Load([file], [], errors);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }

        Assert.Contains(errors, e => e.Replace(file, "bad.yaml", StringComparison.Ordinal).Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OperatorFile_AddsItsApp()
    {
        var file = Path.Combine(Path.GetTempPath(), $"extauthz-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "apps:\n- app: reports\n  framework: flask\n  source: [example/reports@v1:app.py]\n  mount: {gateway: /reports}\n  routes:\n  - {path: '/{ns}/{id}', methods: [GET], namespace: {path: ns}, examples: ['/reports/alice/1 -> alice']}\n");
        try
        {
            var resolver = NamespaceResolver.Create([], [], catalogueFiles: [file]);
            var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = "/reports/bob/1" };

            Assert.Equal("bob", resolver.Resolve(input, PathNormalizer.Normalize(input.Path), s_profiles).Value.ToString());
            input.Path = "/reports/bob";
            Assert.Equal(NamespaceOutcome.UnknownRoute, resolver.Resolve(input, PathNormalizer.Normalize(input.Path), s_profiles).Outcome);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_MissingFile_IsAConfigurationError()
    {
        var errors = new List<string>();

        RouteCatalogue.Load(["/nonexistent/catalogue.yaml"], [], errors);

        Assert.Contains(errors, e => e.StartsWith("Policy:RouteCatalogues:0: '/nonexistent/catalogue.yaml' cannot be read", StringComparison.Ordinal));
    }

    private static CatalogueApp App(string name) => s_catalogue.Apps.Single(a => a.Name == name);

    private static (CatalogueApp App, CatalogueRoute Route, RouteExample Example) Example(string app, int route, int example)
    {
        var found = App(app);
        return (found, found.Routes[route], found.Routes[route].Examples[example]);
    }

    private static KubeflowAccessPolicy Policy()
    {
        var index = new AccessIndex(RoleMap.Default, new FakeTimeProvider());
        ProfileRecord[] profiles = [Profile("alice", "alice@example.com"), Profile("bob", "bob@example.com")];
        index.ReplaceAll(profiles, [], Adopting(profiles));
        var options = new ExtAuthzOptions();
        options.Policy.AdminPaths = ["/admin-only/"];
        options.ApplyDefaults();
        return KubeflowAccessPolicy.Create(options.Policy, index);
    }

    private static Decision Decide(KubeflowAccessPolicy policy, RouteExample example, string destination, string user)
    {
        var input = new CheckInput(HeaderSlots.Default)
        {
            HasHttp = true,
            Method = example.Method,
            Path = example.Path,
            Host = "kubeflow.example.com",
            DestinationPrincipal = destination,
        };
        return policy.Authorize(input, PathNormalizer.Normalize(example.Path), Caller(user));
    }
}
