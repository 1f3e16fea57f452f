using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class NamespaceResolverTests
{
    private const string JupyterWebApp = "spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app-service-account";
    private static readonly Profiles s_profiles = new("alice", "bob", "team-ml", "ml");
    private static readonly NamespaceResolver s_resolver = NamespaceResolver.Create(["/myapp/{ns}/", "/reports/?team={ns}"], ["kserve.example.com", "example.com"],
        dashboardHosts: ["kubeflow-alice.example.com"]);

    [Theory]
    // Per-object routes.
    [InlineData("/notebook/alice/nb/", "Found", "alice")]
    [InlineData("/notebook/alice/nb/api/kernels?x=1", "Found", "alice")]
    [InlineData("/notebook/alice/nb", "Found", "alice")]
    [InlineData("/tensorboard/alice/tb/", "Found", "alice")]
    [InlineData("/pvcviewers/alice/viewer/", "Found", "alice")]
    [InlineData("/serving/alice/model/v1/models/model:predict", "Found", "alice")]
    [InlineData("/notebook/alice", "UnknownRoute", null)]
    [InlineData("/notebook/", "None", null)] // one segment: the gateway sends it to the dashboard's single-page app
    [InlineData("/notebookx/alice/", "None", null)]
    [InlineData("/tensorboards/api/namespaces/alice/tensorboards", "Found", "alice")]
    // Web app APIs, before and after the gateway's rewrite.
    [InlineData("/jupyter/api/namespaces/alice/notebooks", "Found", "alice")]
    [InlineData("/volumes/api/namespaces/alice/pvcs", "Found", "alice")]
    [InlineData("/kserve-endpoints/api/namespaces/alice/inferenceservices", "Found", "alice")]
    [InlineData("/kserve-endpoints/api/sse/namespaces/alice/inferenceservices/m/logs", "Found", "alice")]
    [InlineData("/api/namespaces/alice/notebooks", "Found", "alice")]
    [InlineData("/api/namespaces", "None", null)]
    [InlineData("/jupyter/api/config", "None", null)]
    [InlineData("/jupyter/new", "None", null)]
    [InlineData("/jupyter/api/namespaces/alice/secrets", "UnknownRoute", null)]
    [InlineData("/kserve-endpoints/api/namespaces/alice/newkind", "UnknownRoute", null)]
    // Dashboard (Express: case-insensitive routes).
    [InlineData("/api/workgroup/get-contributors/alice", "Found", "alice")]
    [InlineData("/API/Workgroup/get-contributors/alice", "Found", "alice")]
    [InlineData("/api/workgroup/exists", "None", null)]
    [InlineData("/api/activities/alice", "Found", "alice")]
    [InlineData("/API/activities/alice", "Found", "alice")]
    [InlineData("/api/activities/ALICE", "Invalid", "ALICE")]
    [InlineData("/api/something-new/alice", "UnknownRoute", null)]
    [InlineData("/_/jupyter/?ns=bob", "None", null)]
    // Katib: query parameters.
    [InlineData("/katib/fetch_experiments/?namespace=alice", "Found", "alice")]
    [InlineData("/katib/fetch_experiments/?namespace=alice&namespace=alice", "Found", "alice")]
    [InlineData("/katib/fetch_experiments/?namespace=alice&namespace=bob", "Conflict", "alice")]
    [InlineData("/katib/fetch_namespaces", "None", null)]
    [InlineData("/katib/fetch_secrets/?namespace=bob", "UnknownRoute", null)]
    // Pipelines v2beta1 and v1beta1, with and without /pipeline, every grpc-gateway spelling.
    [InlineData("/pipeline/apis/v2beta1/runs?namespace=alice&page_size=10", "Found", "alice")]
    [InlineData("/apis/v2beta1/experiments?namespace=alice", "Found", "alice")]
    [InlineData("/apis/v2beta1/runs?namespace=%61lice", "Found", "alice")]
    [InlineData("/apis/v2beta1/runs?%6Eamespace=bob&namespace=alice", "Conflict", "bob")]
    [InlineData("/apis/v2beta1/runs?namespace=alice&namespace[x]=bob", "Conflict", "alice")]
    [InlineData("/apis/v2beta1/runs?namespace=", "Invalid", "")]
    [InlineData("/apis/v2beta1/runs?namespace=Alice", "Invalid", "Alice")]
    [InlineData("/apis/v2beta1/runs?namespace=%zz", "Invalid", "%zz")]
    [InlineData("/apis/v2beta1/runs/0f3c:archive", "None", null)]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=NAMESPACE&resource_reference_key.id=alice", "Found", "alice")]
    [InlineData("/apis/v1beta1/runs?resourceReferenceKey.type=NAMESPACE&resourceReferenceKey.id=bob", "Found", "bob")]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=5&resourceReferenceKey.id=bob", "Found", "bob")]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=%2B05&resource_reference_key.id=bob", "Found", "bob")]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=0f3c", "None", null)]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=NAMESPACE&resourceReferenceKey.type=EXPERIMENT&resource_reference_key.id=bob", "Invalid", null)]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=NAMESPACE&resource_reference_key.id=bob&namespace=alice", "Conflict", "alice")]
    [InlineData("/pipeline/apis/v1beta1/visualizations/bob", "Found", "bob")]
    [InlineData("/apis/v1beta1/visualizations/bob", "Found", "bob")]
    [InlineData("/pipeline/apis/v1beta1/visualizations/", "UnknownRoute", null)]
    [InlineData("/pipeline/apis/v1beta1/namespaces/bob/pipelines/p", "Found", "bob")]
    [InlineData("/apis/v1beta1/namespaces/bob/pipelines/p", "Found", "bob")]
    [InlineData("/pipeline/apis/v2beta1/visualizations/alice?namespace=bob", "Conflict", "alice")]
    [InlineData("/pipeline/apis/v2beta1/visualizations/alice?namespace=alice", "Found", "alice")]
    [InlineData("/pipeline/apis/v2beta1/visualizations/alice?namespace=Bob", "Invalid", "Bob")]
    [InlineData("/pipeline/apis/v2beta1/something-new?namespace=bob", "UnknownRoute", null)]
    [InlineData("/pipeline/APIS/v2beta1/runs?namespace=bob", "UnknownRoute", null)]
    // Pipelines UI server (Express: qs reads name[] and name[0] as name).
    [InlineData("/pipeline/k8s/pod/logs?podname=p&podnamespace=alice", "Found", "alice")]
    [InlineData("/pipeline/k8s/pod/logs?podname=p&podnamespace[]=bob", "Found", "bob")]
    [InlineData("/pipeline/k8s/pod/logs?podname=p&podnamespace%5B0%5D=bob", "Found", "bob")]
    [InlineData("/pipeline/k8s/pod/logs?podnamespace[0]=bob&podnamespace=alice", "Conflict", "bob")]
    [InlineData("/pipeline/k8s/pod/logs?podnamespace=%2561lice", "Invalid", "%61lice")]
    [InlineData("/pipeline/apis/v1beta1/_proxy/viewer-1-service.bob.svc.cluster.local:80/tensorboard/viewer-1/", "Found", "bob")]
    [InlineData("/pipeline/apis/v1beta1/_proxy/viewer-1-service.bob:80/", "Found", "bob")]
    [InlineData("/pipeline/apis/v1beta1/_proxy/viewer-1-service/", "Invalid", "viewer-1-service")]
    [InlineData("/pipeline/apis/v1beta1/_proxy/.bob.svc/", "Invalid", ".bob.svc")]
    [InlineData("/pipeline/apis/v1beta1/_proxy/svc..bob/", "Invalid", "svc..bob")]
    [InlineData("/pipeline/apis/v1beta1/_proxy/svc.bob/", "Invalid", "svc.bob")]
    [InlineData("/pipeline/static/js/main.js", "None", null)]
    [InlineData("/ml_metadata.MetadataStoreService/GetArtifacts", "None", null)]
    [InlineData("/kfam/v1/bindings?namespace=alice", "Found", "alice")]
    [InlineData("/other/?namespace=alice", "None", null)]
    // A query that only another route would read.
    [InlineData("/notebook/alice/nb/?namespace=bob", "Found", "alice")]
    // Configured extras.
    [InlineData("/myapp/alice/page", "Found", "alice")]
    [InlineData("/reports/?team=alice", "Found", "alice")]
    [InlineData("/reports/?namespace=alice", "None", null)]
    // Query values: every value counts, the first fault is final, and a bad escape is reported as written.
    [InlineData("/apis/v2beta1/runs?namespace=%zz&namespace=alice", "Invalid", "%zz")]
    [InlineData("/apis/v2beta1/runs?namespace=Alice&namespace=bob", "Invalid", "Alice")]
    [InlineData("/apis/v2beta1/runs?namespace=alice&namespace=bob&namespace=Carol", "Conflict", "alice")]
    [InlineData("/apis/v1beta1/runs?namespace=Alice&resource_reference_key.type=NAMESPACE&resource_reference_key.id=bob", "Invalid", "Alice")]
    [InlineData("/apis/v1beta1/runs?namespace=%zz&resource_reference_key.type=NAMESPACE&resource_reference_key.id=bob", "Invalid", "%zz")]
    [InlineData("/apis/v1beta1/runs?namespace=alice&namespace=bob&resource_reference_key.type=NAMESPACE&resource_reference_key.id=Carol", "Conflict", "alice")]
    [InlineData("/apis/v2beta1/runs?namespace=ali+ce", "Invalid", "ali ce")]
    [InlineData("/apis/v2beta1/runs?namespace=team%39", "Found", "team9")]
    [InlineData("/apis/v2beta1/runs?namespace=team%4z", "Invalid", "team%4z")]
    [InlineData("/apis/v2beta1/runs?namespace=team%z4", "Invalid", "team%z4")]
    [InlineData("/apis/v2beta1/runs?namespace=team%4", "Invalid", "team%4")]
    [InlineData("/apis/v2beta1/runs?namespace=team%", "Invalid", "team%")]
    [InlineData("/apis/v2beta1/runs?namespace=team%7F", "Invalid", "team\u007f")]
    [InlineData("/apis/v2beta1/runs?namespace=team%80", "Invalid", "team%80")]
    [InlineData("/apis/v2beta1/runs?namespace=%C3%A9quipe", "Invalid", "%C3%A9quipe")]
    // Path values that are no namespace.
    [InlineData("/notebook/Alice/nb/", "Invalid", "Alice")]
    [InlineData("/notebook/-alice/nb/", "Invalid", "-alice")]
    [InlineData("/notebook/al_ice/nb/", "Invalid", "al_ice")]
    public void Resolve_Path(string target, string outcome, string? ns)
    {
        var result = Resolve(target, method: target.Contains("visualizations", StringComparison.Ordinal) ? "POST" : "GET");

        Assert.Equal(outcome, result.Outcome.ToString());
        if (ns is not null)
        {
            Assert.Equal(ns, result.Value.ToString());
        }
    }

    [Theory]
    [InlineData("model.alice.kserve.example.com", "/", "Found", "alice")]
    [InlineData("model.alice.kserve.example.com:8080", "/v1/models/model:predict", "Found", "alice")]
    [InlineData("model.ALICE.kserve.example.com", "/", "Found", "alice")]
    [InlineData("model.alice.kserve.example.com.", "/", "Found", "alice")]
    [InlineData("model-predictor.alice.example.com", "/", "Found", "alice")]
    [InlineData("model-alice.example.com", "/", "Found", "alice")]
    [InlineData("my-model-team-ml.example.com", "/", "Conflict", null)]
    [InlineData("my-model-team-ml.kserve.example.com", "/", "Conflict", null)]
    [InlineData("model-team-ml.example.com", "/", "Conflict", null)]
    [InlineData("model.team-ml.example.com", "/", "Found", "team-ml")]
    [InlineData("model.alice.svc.cluster.local", "/", "Found", "alice")]
    [InlineData("ml-pipeline.kubeflow.svc.cluster.local", "/", "None", null)]
    [InlineData("a.b.alice.kserve.example.com", "/", "None", null)]
    [InlineData("model.nobody.kserve.example.com", "/", "None", null)]
    [InlineData("kserve.example.com", "/", "None", null)]
    [InlineData("kubeflow.example.com", "/", "None", null)]
    [InlineData("kubeflow.example.com", "/api/workgroup/exists", "None", null)]
    [InlineData("kubeflow-alice.example.com", "/", "None", null)]
    [InlineData("model.alice.other.org", "/", "None", null)]
    // Hostile hosts.
    [InlineData("model.alice.kserve.example.com.evil.org", "/", "None", null)]
    [InlineData("model.alice.kserve.example.com@evil.org", "/", "None", null)]
    [InlineData("evil.org#model.alice.kserve.example.com", "/", "None", null)]
    [InlineData("model.alice..kserve.example.com", "/", "None", null)]
    [InlineData(".alice.kserve.example.com", "/", "None", null)]
    [InlineData("alice.kserve.example.com", "/", "None", null)]
    [InlineData("-alice.kserve.example.com", "/", "None", null)]
    [InlineData("[::1]:443", "/", "None", null)]
    [InlineData("model.alice.kserve.example.com:", "/", "Found", "alice")]
    [InlineData("", "/", "None", null)]
    [InlineData("model.alice.kserve.example.com", "/notebook/bob/nb/", "Conflict", null)]
    [InlineData("model.alice.kserve.example.com", "/notebook/alice/nb/", "Found", "alice")]
    public void Resolve_InferenceHost(string host, string target, string outcome, string? ns)
    {
        var result = Resolve(target, host);

        Assert.Equal(outcome, result.Outcome.ToString());
        if (ns is not null)
        {
            Assert.Equal(ns, result.Value.ToString());
        }
    }

    [Theory]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/", "Found", "alice")]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/notebook/alice/nb/", "Found", "alice")]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/notebook/bob/nb/", "Conflict", null)]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/tensorboard/viewer-5e1f0c2a/", "Found", "alice")]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/tensorboard/viewer-5e1f0c2a/data/runs", "Found", "alice")]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/tensorboard/bob/tb/", "Found", "alice")]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/api/something", "Found", "alice")]
    [InlineData("spiffe://cluster.local/ns/alice/sa/default-editor", "/notebook/alice", "UnknownRoute", null)]
    [InlineData(JupyterWebApp, "/api/namespaces/bob/notebooks", "Found", "bob")]
    [InlineData(JupyterWebApp, "/", "None", null)]
    [InlineData(JupyterWebApp, "/api/activities/bob", "UnknownRoute", null)]
    [InlineData(JupyterWebApp, "/jupyter/api/namespaces/bob/notebooks", "None", null)]
    [InlineData("spiffe://example.org/ns/kubeflow/sa/jupyter-web-app-service-account", "/api/namespaces/bob/notebooks", "Found", "bob")]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/ml-pipeline", "/apis/v1beta1/namespaces/bob/pipelines/p", "Found", "bob")]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/ml-pipeline", "/apis/v2beta1/unknown", "UnknownRoute", null)]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/ml-pipeline-ui", "/pipeline/k8s/pod/logs?podnamespace=bob", "Found", "bob")]
    [InlineData("spiffe://cluster.local/ns/alice/sa/x/extra", "/", "None", null)]
    public void Resolve_DestinationPicksTheRoutes(string destination, string target, string outcome, string? ns)
    {
        var result = Resolve(target, destination: destination);

        Assert.Equal(outcome, result.Outcome.ToString());
        if (ns is not null)
        {
            Assert.Equal(ns, result.Value.ToString());
        }
    }

    [Theory]
    [InlineData("/other/page", "", "UnknownRoute")]
    [InlineData("/other/page", "spiffe://cluster.local/ns/alice/sa/default-editor", "Found")]
    [InlineData("/notebook/alice/nb/", "", "Found")]
    [InlineData("/", "", "None")]
    public void Resolve_UnknownRoutesDeny_DeniesPathsUnderNoApp(string target, string destination, string outcome)
    {
        var resolver = NamespaceResolver.Create([], [], UnknownRoutes.Deny);
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = target, Host = "kubeflow.example.com", DestinationPrincipal = destination };

        var result = resolver.Resolve(input, PathNormalizer.Normalize(target), s_profiles);

        Assert.Equal(outcome, result.Outcome.ToString());
    }

    [Theory]
    [InlineData("/pipeline/apis/v2beta1/runs", "application/x-www-form-urlencoded", "UnknownRoute")]
    [InlineData("/pipeline/apis/v1beta1/experiments", "Application/X-WWW-Form-Urlencoded; charset=utf-8", "UnknownRoute")]
    [InlineData("/pipeline/apis/v2beta1/runs", "application/json", "None")]
    [InlineData("/katib/create_experiment/", "application/x-www-form-urlencoded", "None")]
    public void Resolve_FormEncodedPostToGrpcGateway_IsUnknownRoute(string target, string contentType, string outcome)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "POST", Path = target, Host = "kubeflow.example.com" };
        input.AddHeader(HeaderSlots.ContentType, contentType);

        var result = s_resolver.Resolve(input, PathNormalizer.Normalize(target), s_profiles);

        Assert.Equal(outcome, result.Outcome.ToString());
    }

    [Theory]
    [InlineData("/pipeline/apis/v2beta1/runs?namespace=alice", "https://kf.example.com/pipeline/apis/v1beta1/_proxy/svc.bob.svc.cluster.local:80/", "", "Conflict", null)]
    [InlineData("/pipeline/static/main.js", "https://kf.example.com/pipeline/apis/v1beta1/_proxy/viewer-1-service.bob.svc.cluster.local:80/tensorboard/viewer-1/", "", "Found", "bob")]
    [InlineData("/pipeline/static/main.js", "https://kf.example.com/pipeline/apis/v1beta1/_proxy/http%3A%2F%2Fsvc.bob.svc.cluster.local%3A80/", "", "Found", "bob")]
    [InlineData("/pipeline/static/main.js", "https://kf.example.com/pipeline/apis/v1beta1/_proxy/evil.example.org/", "", "Invalid", null)]
    [InlineData("/pipeline/static/main.js", "https://kf.example.com/pipeline/#/runs", "", "None", null)]
    [InlineData("/jupyter/api/config", "https://kf.example.com/pipeline/apis/v1beta1/_proxy/svc.bob.svc.cluster.local:80/", "", "None", null)]
    [InlineData("/pipeline/k8s/pod/logs?podnamespace=alice", "/pipeline/apis/v1beta1/_proxy/svc.bob.svc.cluster.local/", "spiffe://cluster.local/ns/kubeflow/sa/ml-pipeline-ui", "Conflict", null)]
    public void Resolve_PipelinesUiRefererProxy_ReadsTheProxiedNamespace(string target, string referer, string destination, string outcome, string? ns)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = target, Host = "kubeflow.example.com", DestinationPrincipal = destination };
        input.AddHeader(HeaderSlots.Referer, referer);

        var result = s_resolver.Resolve(input, PathNormalizer.Normalize(target), s_profiles);

        Assert.Equal(outcome, result.Outcome.ToString());
        if (ns is not null)
        {
            Assert.Equal(ns, result.Value.ToString());
        }
    }

    [Theory]
    [InlineData("/notebook/alice/nb/", NamespaceSource.Path)]
    [InlineData("/katib/fetch_experiments/?namespace=alice", NamespaceSource.Query)]
    public void Resolve_NamespaceSource_IsWhereItWasRead(string target, NamespaceSource source)
    {
        Assert.Equal(source, Resolve(target).Source);
    }

    [Fact]
    public void Resolve_NamespaceFromPath_IsASliceOfTheTargetNotACopy()
    {
        const string target = "/notebook/alice/nb/?x=1";
        var input = new CheckInput(HeaderSlots.Default) { Method = "GET", Path = target };

        var result = s_resolver.Resolve(input, PathNormalizer.Normalize(target), null);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetString(result.Value, out var text, out var start, out _));
        Assert.Same(target, text);
        Assert.Equal(10, start);
    }

    [Theory]
    [InlineData("GET", "Found")]
    [InlineData("HEAD", "Found")]
    [InlineData("OPTIONS", "Found")]
    [InlineData("POST", "UnknownRoute")]
    public void Resolve_MethodOfAGetRoute_HeadAndOptionsToo(string method, string outcome) =>
        Assert.Equal(outcome, Resolve("/api/activities/alice", method: method).Outcome.ToString());

    [Theory]
    [InlineData("my-model-team-ml.example.com", "/", "inference host")]
    [InlineData("kubeflow.example.com", "/notebook/bob/nb/", "notebooks /notebook/{ns}/{name}/** vs destination.principal")]
    public void Resolve_ConflictOfTwoSources_NamesBothRulesOrTheOneTheyShare(string host, string target, string rule)
    {
        var result = Resolve(target, host, destination: "spiffe://cluster.local/ns/alice/sa/default-editor");

        Assert.Equal((NamespaceOutcome.Conflict, rule), (result.Outcome, result.Rule));
    }

    [Theory]
    // A workload of a profile namespace: that namespace, whatever app its principal names.
    [InlineData(true, JupyterWebApp, "/api/activities/bob", "Found", "kubeflow")]
    [InlineData(false, JupyterWebApp, "/api/activities/bob", "UnknownRoute", null)]
    // The dashboard, the catalogue's first app: its own routes only.
    [InlineData(false, "spiffe://cluster.local/ns/kubeflow/sa/centraldashboard", "/api/namespaces/bob/notebooks", "UnknownRoute", null)]
    public void Resolve_DestinationInAProfileNamespaceOrTheFirstApp_PicksItsRoutes(bool kubeflowIsAProfile, string destination, string target, string outcome, string? ns)
    {
        var resolver = NamespaceResolver.Create([], []);
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = target, Host = "kubeflow.example.com", DestinationPrincipal = destination };

        var result = resolver.Resolve(input, PathNormalizer.Normalize(target), kubeflowIsAProfile ? new Profiles("alice", "bob", "kubeflow") : s_profiles);

        Assert.Equal(outcome, result.Outcome.ToString());
        Assert.Equal(ns, ns is null ? null : result.Value.ToString());
    }

    [Theory]
    [InlineData("viewer-5e1f0c2a", "Conflict")]
    [InlineData("bob", "Found")]
    public void Resolve_ViewerPrefixThatIsAProfile_ReadAsANamespace(string otherProfile, string outcome)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = "/tensorboard/viewer-5e1f0c2a/", Host = "kubeflow.example.com" };
        input.DestinationPrincipal = "spiffe://cluster.local/ns/alice/sa/default-editor";

        var result = s_resolver.Resolve(input, PathNormalizer.Normalize(input.Path), new Profiles("alice", otherProfile));

        Assert.Equal(outcome, result.Outcome.ToString());
    }

    [Fact]
    public void Resolve_FormEncodedPost_RuleSaysWhy()
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "POST", Path = "/pipeline/apis/v2beta1/runs", Host = "kubeflow.example.com" };
        input.AddHeader(HeaderSlots.ContentType, "application/x-www-form-urlencoded");

        var result = s_resolver.Resolve(input, PathNormalizer.Normalize(input.Path), s_profiles);

        Assert.EndsWith(" (form-encoded POST)", result.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "", "model-alice.example.com", "Found")]
    [InlineData("", "kubeflow-alice.example.com", "kubeflow-alice.example.com", "None")]
    [InlineData("{namespace}.models.{domain}", "", "alice.models.example.com", "Found")]
    [InlineData("{namespace}.models.{domain}", "", "model-alice.example.com", "None")]
    public void Create_HostTemplatesAndDashboardHosts_UsedAsGiven(string template, string dashboardHost, string host, string outcome)
    {
        var resolver = NamespaceResolver.Create([], ["example.com"], hostTemplates: template.Length == 0 ? null : [template],
            dashboardHosts: dashboardHost.Length == 0 ? null : [dashboardHost]);
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = "/", Host = host };

        Assert.Equal(outcome, resolver.Resolve(input, PathNormalizer.Normalize("/"), s_profiles).Outcome.ToString());
    }

    [Fact]
    public void Create_RefererProxyOfTheCatalogue_ReadByEveryResolver()
    {
        var resolver = NamespaceResolver.Create([], []);
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = "/pipeline/static/main.js", Host = "kubeflow.example.com" };
        input.AddHeader(HeaderSlots.Referer, "https://kf.example.com/pipeline/apis/v1beta1/_proxy/viewer-1-service.bob.svc.cluster.local:80/");

        var result = resolver.Resolve(input, PathNormalizer.Normalize(input.Path), s_profiles);

        Assert.Equal(("Found", "bob"), (result.Outcome.ToString(), result.Value.ToString()));
    }

    [Fact]
    public void Describe_AppsRoutesHostsAndDestination()
    {
        var lines = s_resolver.Describe().ToList();

        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^\d+ apps, \d+ routes$", lines[0]);
        Assert.NotEmpty(lines[1]);
        Assert.Equal("destination.principal", lines[2]);
    }

    [Fact]
    public void Describe_WithoutInferenceHosts_NoHostLine() =>
        Assert.Equal(2, new NamespaceResolver(s_resolver.Catalogue, null, UnknownRoutes.Authenticated).Describe().Count());

    [Theory]
    [InlineData(30, "Found")]
    [InlineData(31, "UnknownRoute")]
    public void Resolve_MoreSegmentsThanKept_OnlyARestTemplateMatches(int depth, string outcome)
    {
        // A route of exactly PathSegments.MaxSegments segments (the mount, 30 literals, the namespace), no '**'.
        var deep = string.Concat(Enumerable.Repeat("/s", 30));
        var file = Path.Combine(Path.GetTempPath(), $"extauthz-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "apps:\n- app: deep\n  framework: flask\n  source: [example/deep@v1:app.py]\n  mount: {gateway: /deep}\n  routes:\n"
            + $"  - {{path: '{deep}/{{ns}}', methods: [GET], namespace: {{path: ns}}, examples: ['/deep{deep}/alice -> alice']}}\n");
        try
        {
            var resolver = NamespaceResolver.Create([], [], catalogueFiles: [file]);
            var target = "/deep" + string.Concat(Enumerable.Repeat("/s", depth)) + "/alice";
            var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = target, Host = "kubeflow.example.com" };

            Assert.Equal(outcome, resolver.Resolve(input, PathNormalizer.Normalize(target), s_profiles).Outcome.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static NamespaceCandidate Resolve(string target, string host = "kubeflow.example.com", string destination = "", string method = "GET")
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = method, Path = target, Host = host, DestinationPrincipal = destination };
        var path = PathNormalizer.Normalize(target);
        Assert.False(path.IsAmbiguous);
        return s_resolver.Resolve(input, path, s_profiles);
    }
}
