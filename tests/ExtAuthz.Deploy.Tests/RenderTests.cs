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
        string[] clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];

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

        Assert.Equal(Layout.All.Where(f => f.StartsWith("istio/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), kustomizations);
    }

    [Fact]
    public void Layout_EveryComponent_IsUsedByARenderedKustomization()
    {
        var istio = RepoRoot.Combine("istio");
        var components = Directory.EnumerateFiles(istio, "kustomization.yaml", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("kind: Component", StringComparison.Ordinal))
            .Select(file => Path.GetDirectoryName(file)!)
            .ToList();
        var reached = Reachable(Layout.All.Concat(Layout.Fixtures).Select(RepoRoot.Combine));

        Assert.NotEmpty(components);
        Assert.All(components, component => Assert.Contains(component, reached));
    }

    /// <summary>Every folder a kustomization reaches through its resources and components, transitively.</summary>
    private static HashSet<string> Reachable(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.TryPop(out var folder))
        {
            var file = Path.Combine(folder, "kustomization.yaml");
            if (!seen.Add(folder) || !File.Exists(file))
            {
                continue;
            }

            var root = Yaml.LoadFile(Path.GetRelativePath(RepoRoot.Path, file));
            foreach (var entry in root.Strings("resources").Concat(root.Strings("components")))
            {
                var target = Path.GetFullPath(Path.Combine(folder, entry));
                if (Directory.Exists(target))
                {
                    pending.Push(target);
                }
            }
        }

        return seen;
    }
}
