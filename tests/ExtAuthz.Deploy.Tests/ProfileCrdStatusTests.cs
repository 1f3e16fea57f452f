using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

/// <summary>
/// The Profile CRD status-schema component (<c>istio/controller/profile-crd-status</c>) rendered onto a stand-in of
/// Kubeflow's CRD with its exact shape: every status field the controller writes is declared in both versions, so
/// the API server keeps it instead of pruning it.
/// </summary>
public sealed class ProfileCrdStatusTests
{
    private const string Fixture = "tests/ExtAuthz.Deploy.Tests/ProfileCrd";
    private const string StandIn = Fixture + "/kubeflow-profiles-crd.yaml";
    private const string Status = "schema.openAPIV3Schema.properties.status.properties";

    /// <summary>Each status field the controller writes (ProfileStatus), relative to the status schema, with its type.</summary>
    public static TheoryData<string, string, string> Fields => new()
    {
        { "v1", "observedGeneration", "integer" },
        { "v1", "conditions.items.properties.type", "string" },
        { "v1", "conditions.items.properties.status", "string" },
        { "v1", "conditions.items.properties.message", "string" },
        { "v1", "conditions.items.properties.reason", "string" },
        { "v1", "conditions.items.properties.observedGeneration", "integer" },
        { "v1", "conditions.items.properties.lastTransitionTime", "string" },
        { "v1beta1", "observedGeneration", "integer" },
        { "v1beta1", "conditions.items.properties.type", "string" },
        { "v1beta1", "conditions.items.properties.status", "string" },
        { "v1beta1", "conditions.items.properties.message", "string" },
        { "v1beta1", "conditions.items.properties.reason", "string" },
        { "v1beta1", "conditions.items.properties.observedGeneration", "integer" },
        { "v1beta1", "conditions.items.properties.lastTransitionTime", "string" },
    };

    /// <summary>The fields Kubeflow's CRD leaves out: the ones the patch must add.</summary>
    public static TheoryData<string, string> Added => new()
    {
        { "v1", "observedGeneration" },
        { "v1", "conditions.items.properties.reason" },
        { "v1", "conditions.items.properties.observedGeneration" },
        { "v1", "conditions.items.properties.lastTransitionTime" },
        { "v1beta1", "observedGeneration" },
        { "v1beta1", "conditions.items.properties.reason" },
        { "v1beta1", "conditions.items.properties.observedGeneration" },
        { "v1beta1", "conditions.items.properties.lastTransitionTime" },
    };

    private static YamlNode Version(YamlNode crd, string name) =>
        Assert.Single(crd.Items("spec.versions"), v => v.Str("name") == name);

    [Theory]
    [MemberData(nameof(Fields))]
    public void Render_KubeflowCrdWithComponent_DeclaresStatusField(string version, string field, string type)
    {
        var crd = Kubectl.Kustomize(Fixture).Single("CustomResourceDefinition", "profiles.kubeflow.org");

        Assert.Equal(type, Version(crd.Root, version).Str($"{Status}.{field}.type"));
    }

    [Theory]
    [MemberData(nameof(Added))]
    public void StandIn_KubeflowCrd_LacksWhatThePatchAdds(string version, string field)
    {
        var crd = Yaml.LoadFile(StandIn);

        Assert.NotNull(Version(crd, version).At($"{Status}.conditions.items.properties.message"));
        Assert.Null(Version(crd, version).At($"{Status}.{field}"));
    }

    [Fact]
    public void Render_KubeflowCrdWithComponent_ChangesOnlyTheStatusSchema()
    {
        var crd = Kubectl.Kustomize(Fixture).Single("CustomResourceDefinition", "profiles.kubeflow.org");
        var standIn = Yaml.LoadFile(StandIn);

        foreach (var name in new[] { "v1", "v1beta1" })
        {
            Assert.Equal(Text(Version(standIn, name).At("schema.openAPIV3Schema.properties.spec")), Text(Version(crd.Root, name).At("schema.openAPIV3Schema.properties.spec")));
            Assert.Equal(Version(standIn, name).Str("storage"), Version(crd.Root, name).Str("storage"));
        }

        Assert.Equal(2, crd.Items("spec.versions").Count);
    }

    [Fact]
    public void Render_VersionsInAnotherOrder_Fails()
    {
        var dir = Directory.CreateTempSubdirectory("profile-crd-").FullName;
        try
        {
            var standIn = Yaml.LoadFile(StandIn);
            var versions = (YamlSequenceNode)standIn.At("spec.versions")!;
            (versions.Children[0], versions.Children[1]) = (versions.Children[1], versions.Children[0]);
            File.WriteAllText(Path.Combine(dir, "crd.yaml"), Text(standIn));
            File.WriteAllText(Path.Combine(dir, "kustomization.yaml"),
                $"resources:\n- crd.yaml\ncomponents:\n- {Path.GetRelativePath(dir, RepoRoot.Combine("istio/controller/profile-crd-status")).Replace('\\', '/')}\n");

            var error = Assert.Throws<InvalidOperationException>(() => Kubectl.Kustomize(dir));

            Assert.Contains("testing value /spec/versions/0/name failed", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Text(YamlNode? node)
    {
        Assert.NotNull(node);
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
