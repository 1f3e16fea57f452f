using System.Text.Json;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Kubernetes.Tests.Objects;

public sealed class KubeObjectReaderTests
{
    [Fact]
    public void TryReadRoleBinding_KfamShape()
    {
        var obj = Json("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
             "metadata":{"annotations":{"role":"view","user":"carol@example.com"},"name":"user-carol-example-com-clusterrole-view","namespace":"alice","resourceVersion":"51377","uid":"b3d5f7a9-1c3e-4f6a-a8c0-2e4f6a8b0c55"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"kubeflow-view"},
             "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"carol@example.com"},{"kind":"ServiceAccount","name":"sa","namespace":"alice"}]}
            """);

        Assert.True(KubeObjectReader.TryReadRoleBinding(obj, out var binding, out var error), error);
        Assert.Equal(("alice", "user-carol-example-com-clusterrole-view", "ClusterRole", "kubeflow-view"), (binding!.Namespace, binding.Name, binding.RoleRefKind, binding.RoleRefName));
        Assert.Equal(("carol@example.com", "view"), (binding.AnnotatedUser, binding.AnnotatedRole));
        Assert.Equal(2, binding.Subjects.Count);
        Assert.Equal("alice", binding.Subjects[1].Namespace);
        Assert.Equal("51377", KubeObjectReader.ResourceVersionOf(obj));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"x","namespace":"alice"},"roleRef":{"kind":"ClusterRole","name":"kubeflow-edit"},"subjects":7}""", "subjects is not a list")]
    [InlineData("""{"metadata":{"name":"x","namespace":"alice"},"roleRef":"kubeflow-edit"}""", "roleRef is missing or not an object")]
    [InlineData("""{"metadata":{"name":"x","namespace":"alice"}}""", "roleRef is missing or not an object")]
    [InlineData("""{"metadata":{"name":"x"},"roleRef":{"kind":"ClusterRole","name":"kubeflow-edit"}}""", "metadata.namespace is missing or not a non-empty string")]
    [InlineData("""{"metadata":{"name":["x"],"namespace":"alice"},"roleRef":{"kind":"ClusterRole","name":"kubeflow-edit"}}""", "metadata.name is missing or not a non-empty string")]
    [InlineData("""{"metadata":{"name":"x","namespace":"alice"},"roleRef":{"kind":"ClusterRole","name":"kubeflow-edit"},"subjects":[{"kind":"User"}]}""", "subjects[0].name is missing or not a non-empty string")]
    [InlineData("""{"metadata":{"name":"x","namespace":"alice"},"roleRef":{"kind":"ClusterRole","name":"kubeflow-edit"},"subjects":["bob"]}""", "subjects[0] is not an object")]
    [InlineData("""{"metadata":{"name":"x","namespace":"alice","annotations":"user=bob"},"roleRef":{"kind":"ClusterRole","name":"kubeflow-edit"}}""", "metadata.annotations is not a map")]
    [InlineData("""[1,2]""", "the object is not a mapping")]
    public void TryReadRoleBinding_Malformed_NamesTheProblem(string json, string expected)
    {
        Assert.False(KubeObjectReader.TryReadRoleBinding(Json(json), out var binding, out var error));
        Assert.Null(binding);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryReadRoleBinding_RoleRefOfAnotherApiGroup_KeepsTheGroupSoItGrantsNothing()
    {
        var obj = Json("""{"metadata":{"name":"x","namespace":"alice"},"roleRef":{"apiGroup":"example.com","kind":"ClusterRole","name":"kubeflow-edit"},"subjects":null}""");

        Assert.True(KubeObjectReader.TryReadRoleBinding(obj, out var binding, out _));
        Assert.Equal("example.com/ClusterRole", binding!.RoleRefKind);
        Assert.Empty(binding.Subjects);
    }

    [Theory]
    [InlineData("kubeflow.org/v1", """{"extauthz/dry-run":"true"}""", true)]
    [InlineData("kubeflow.org/v1beta1", """{"extauthz/dry-run":"yes"}""", false)]
    [InlineData("kubeflow.org/v1", """{"extauthz/dry-run":true}""", false)]
    [InlineData("kubeflow.org/v1", "null", false)]
    public void TryReadProfile_OwnerAndDryRun(string apiVersion, string annotations, bool dryRun)
    {
        var obj = Json("{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"Profile\",\"metadata\":{\"name\":\"alice\",\"annotations\":" + annotations
            + """},"spec":{"owner":{"kind":"User","name":"alice@example.com"},"resourceQuotaSpec":{}},"status":{}}""");

        Assert.True(KubeObjectReader.TryReadProfile(obj, out var profile, out var error), error);
        Assert.Equal(("alice", "User", "alice@example.com", dryRun), (profile!.Name, profile.Owner.Kind, profile.Owner.Name, profile.DryRun));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"alice"},"spec":{"owner":"alice@example.com"}}""", "spec.owner is not an object")]
    [InlineData("""{"metadata":{"name":"alice"},"spec":[]}""", "spec is not an object")]
    [InlineData("""{"metadata":{"name":"Alice"},"spec":{}}""", "Profile name 'Alice' is not a namespace name")]
    [InlineData("""{"spec":{}}""", "metadata is missing or not an object")]
    public void TryReadProfile_Malformed(string json, string expected)
    {
        Assert.False(KubeObjectReader.TryReadProfile(Json(json), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryReadProfile_WithoutOwner_IsAProfileNobodyOwns()
    {
        Assert.True(KubeObjectReader.TryReadProfile(Json("""{"metadata":{"name":"alice"}}"""), out var profile, out _));
        Assert.Null(profile!.Owner.MatchKey());
    }

    [Theory]
    [InlineData("""{"owner":"alice@example.com","kubectl.kubernetes.io/last-applied-configuration":"{}"}""", "alice@example.com")]
    [InlineData("""{"owner":"Alice@Example.COM "}""", "Alice@Example.COM ")]
    [InlineData("""{"owner":7}""", null)]
    [InlineData("""{"team":"ml"}""", null)]
    [InlineData("null", null)]
    public void TryReadNamespace_KeepsOnlyNameAndOwnerAnnotation(string annotations, string? owner)
    {
        var obj = Json("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":" + annotations
            + ""","labels":{"app.kubernetes.io/part-of":"kubeflow-profile","istio-injection":"enabled","kubernetes.io/metadata.name":"alice"},"name":"alice","resourceVersion":"48214"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""");

        Assert.True(KubeObjectReader.TryReadNamespace(obj, out var ns, out var error), error);
        Assert.Equal(("alice", owner), (ns!.Name, ns.Owner));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"Kube_System"}}""", "Namespace name 'Kube_System' is not a namespace name")]
    [InlineData("""{"metadata":{"name":"alice","annotations":["owner"]}}""", "metadata.annotations is not a map")]
    [InlineData("""{"metadata":{}}""", "metadata.name is missing or not a non-empty string")]
    public void TryReadNamespace_Malformed(string json, string expected)
    {
        Assert.False(KubeObjectReader.TryReadNamespace(Json(json), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void YamlJson_PlainAndQuotedScalars()
    {
        var doc = YamlJson.ReadDocuments("a: \"123\"\nb: 123\nc: true\nd: 'true'\ne: ~\nf:\ng: text\n---\n---\nx: 1\n");

        Assert.Equal(2, doc.Count);
        Assert.Equal("""{"a":"123","b":123,"c":true,"d":"true","e":null,"f":null,"g":"text"}""", doc[0].GetRawText());
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
