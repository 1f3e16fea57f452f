using ExtAuthz.Core.Namespaces;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Tests.Namespaces;

public sealed class NamespaceResolverTests
{
    private static readonly NamespaceResolver s_resolver = NamespaceResolver.Create(["/myapp/{ns}/", "/reports/?team={ns}"], ["kserve.example.com"]);

    [Theory]
    // Per-object routes.
    [InlineData("/notebook/alice/nb/", "Found", "alice")]
    [InlineData("/notebook/alice/nb/api/kernels?x=1", "Found", "alice")]
    [InlineData("/notebook/alice", "Found", "alice")]
    [InlineData("/tensorboard/alice/tb/", "Found", "alice")]
    [InlineData("/pvcviewers/alice/viewer/", "Found", "alice")]
    [InlineData("/notebook/", "None", null)]
    [InlineData("/notebookx/alice/", "None", null)]
    // Web app APIs, before and after the gateway's rewrite.
    [InlineData("/jupyter/api/namespaces/alice/notebooks", "Found", "alice")]
    [InlineData("/volumes/api/namespaces/alice/pvcs", "Found", "alice")]
    [InlineData("/tensorboards/api/namespaces/alice/tensorboards", "Found", "alice")]
    [InlineData("/kserve-endpoints/api/namespaces/alice/inferenceservices", "Found", "alice")]
    [InlineData("/api/namespaces/alice/notebooks", "Found", "alice")]
    [InlineData("/api/namespaces", "None", null)]
    [InlineData("/jupyter/api/config", "None", null)]
    // Dashboard.
    [InlineData("/api/workgroup/get-contributors/alice", "Found", "alice")]
    [InlineData("/api/workgroup/exists", "None", null)]
    [InlineData("/api/activities/alice", "Found", "alice")]
    // Query parameters.
    [InlineData("/katib/fetch_experiments/?namespace=alice", "Found", "alice")]
    [InlineData("/katib/fetch_experiments/?namespace=alice&namespace=alice", "Found", "alice")]
    [InlineData("/katib/fetch_experiments/?namespace=alice&namespace=bob", "Conflict", "alice")]
    [InlineData("/katib/fetch_namespaces", "None", null)]
    [InlineData("/pipeline/apis/v2beta1/runs?namespace=alice&page_size=10", "Found", "alice")]
    [InlineData("/apis/v2beta1/experiments?namespace=alice", "Found", "alice")]
    [InlineData("/apis/v2beta1/runs?namespace=%61lice", "Found", "alice")]
    [InlineData("/apis/v2beta1/runs?%6Eamespace=bob&namespace=alice", "Conflict", "bob")]
    [InlineData("/apis/v2beta1/runs?namespace=", "Invalid", "")]
    [InlineData("/apis/v2beta1/runs?namespace=Alice", "Invalid", "Alice")]
    [InlineData("/apis/v2beta1/runs?namespace=%zz", "Invalid", "%zz")]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=NAMESPACE&resource_reference_key.id=alice", "Found", "alice")]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=0f3c", "None", null)]
    [InlineData("/apis/v1beta1/runs?resource_reference_key.type=NAMESPACE&resource_reference_key.id=bob&namespace=alice", "Conflict", "alice")]
    [InlineData("/pipeline/k8s/pod/logs?podname=p&podnamespace=alice", "Found", "alice")]
    [InlineData("/pipeline/apis/v2beta1/visualizations/alice?namespace=bob", "Conflict", "alice")]
    [InlineData("/kfam/v1/bindings?namespace=alice", "Found", "alice")]
    [InlineData("/other/?namespace=alice", "None", null)]
    // A query that only a path rule's prefix would read.
    [InlineData("/notebook/alice/nb/?namespace=bob", "Found", "alice")]
    // Configured extras.
    [InlineData("/myapp/alice/page", "Found", "alice")]
    [InlineData("/reports/?team=alice", "Found", "alice")]
    [InlineData("/reports/?namespace=alice", "None", null)]
    // Path values that are no namespace.
    [InlineData("/notebook/Alice/nb/", "Invalid", "Alice")]
    [InlineData("/notebook/-alice/nb/", "Invalid", "-alice")]
    [InlineData("/notebook/al_ice/nb/", "Invalid", "al_ice")]
    public void Resolve_Path(string target, string outcome, string? ns)
    {
        var result = Resolve(target);

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
    [InlineData("a.b.alice.kserve.example.com", "/", "Invalid", null)]
    [InlineData("kserve.example.com", "/", "None", null)]
    [InlineData("model.alice.other.example.com", "/", "None", null)]
    [InlineData("model.alice.kserve.example.com", "/notebook/bob/nb/", "Conflict", null)]
    [InlineData("model.alice.kserve.example.com", "/notebook/alice/nb/", "Found", "alice")]
    public void Resolve_KServeHost(string host, string target, string outcome, string? ns)
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
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app", "/api/namespaces/bob/notebooks", "Found", "bob")]
    [InlineData("spiffe://cluster.local/ns/kubeflow/sa/jupyter-web-app", "/", "None", null)]
    [InlineData("spiffe://cluster.local/ns/alice/sa/x/extra", "/", "None", null)]
    public void Resolve_DestinationCountsOnlyForProfileNamespaces(string destination, string target, string outcome, string? ns)
    {
        var result = Resolve(target, destination: destination, profiles: new Profiles("alice", "bob"));

        Assert.Equal(outcome, result.Outcome.ToString());
        if (ns is not null)
        {
            Assert.Equal(ns, result.Value.ToString());
        }
    }

    [Fact]
    public void Resolve_NamespaceFromPath_IsASliceOfThePathNotACopy()
    {
        var input = new CheckInput(HeaderSlots.Default) { Path = "/notebook/alice/nb/" };
        var path = PathNormalizer.Normalize(input.Path);

        var result = s_resolver.Resolve(input, path, null);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetString(result.Value, out var text, out var start, out _));
        Assert.Same(path.Path, text);
        Assert.Equal(10, start);
    }

    private static NamespaceCandidate Resolve(string target, string host = "kubeflow.example.com", string destination = "", IProfileNamespaces? profiles = null)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = target, Host = host, DestinationPrincipal = destination };
        var path = PathNormalizer.Normalize(target);
        Assert.False(path.IsAmbiguous);
        return s_resolver.Resolve(input, path, profiles);
    }

    private sealed class Profiles(params string[] names) : IProfileNamespaces
    {
        public bool IsProfileNamespace(ReadOnlySpan<char> ns)
        {
            foreach (var name in names)
            {
                if (ns.SequenceEqual(name))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
