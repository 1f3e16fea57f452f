namespace ExtAuthz.Deploy.Tests;

public sealed class RenderTests
{
    public static TheoryData<string> AllFolders => Layout.AllData();

    [Theory]
    [MemberData(nameof(AllFolders))]
    public void Kustomize_Folder_RendersNamedObjects(string folder)
    {
        var rendering = Kubectl.Kustomize(folder);

        Assert.NotEmpty(rendering.Objects);
        Assert.All(rendering.Objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Str("apiVersion")), $"{folder}: an object has no apiVersion");
            Assert.False(string.IsNullOrEmpty(o.Kind), $"{folder}: an object has no kind");
            Assert.False(string.IsNullOrEmpty(o.Name), $"{folder}: a {o.Kind} has no name");
        });
    }

    [Theory]
    [MemberData(nameof(AllFolders))]
    public void Kustomize_Folder_PlacesEveryNamespacedObject(string folder)
    {
        string[] clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding"];

        var unplaced = Kubectl.Kustomize(folder).Objects
            .Where(o => !clusterScoped.Contains(o.Kind) && string.IsNullOrEmpty(o.Namespace));

        Assert.Empty(unplaced);
    }

    [Fact]
    public void Layout_EveryKustomization_IsRenderedByTheseTests()
    {
        var istio = RepoRoot.Combine("istio");
        var kustomizations = Directory.EnumerateFiles(istio, "kustomization.yaml", SearchOption.AllDirectories)
            .Where(file => !File.ReadAllText(file).Contains("kind: Component", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(RepoRoot.Path, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Layout.All.Order(StringComparer.Ordinal), kustomizations);
    }

    [Fact]
    public void Layout_EveryComponent_IsUsedByARenderedKustomization()
    {
        var istio = RepoRoot.Combine("istio");
        var components = Directory.EnumerateFiles(istio, "kustomization.yaml", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("kind: Component", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(istio, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .ToList();
        var references = Layout.All.Concat(Layout.Fixtures)
            .Select(folder => File.ReadAllText(Path.Combine(RepoRoot.Combine(folder), "kustomization.yaml")))
            .ToList();

        Assert.NotEmpty(components);
        Assert.All(components, component =>
            Assert.Contains(references, text => text.Contains(component, StringComparison.Ordinal)));
    }
}
