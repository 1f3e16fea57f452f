namespace ExtAuthz.Deploy.Tests;

/// <summary>The objects one kustomization renders to, with the look-ups the tests share.</summary>
internal sealed class Rendering(string folder, IReadOnlyList<KubeObject> objects)
{
    public string Folder { get; } = folder;

    public IReadOnlyList<KubeObject> Objects { get; } = objects;

    public IEnumerable<KubeObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    /// <summary>The only object of <paramref name="kind"/>; fails naming the folder otherwise.</summary>
    public KubeObject Single(string kind)
    {
        var matches = OfKind(kind).ToList();
        Assert.True(matches.Count == 1, $"{Folder}: expected exactly one {kind}, found {matches.Count}.");
        return matches[0];
    }

    public KubeObject Single(string kind, string name)
    {
        var matches = OfKind(kind).Where(o => o.Name == name).ToList();
        Assert.True(matches.Count == 1, $"{Folder}: expected exactly one {kind} named {name}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The object of <paramref name="kind"/> named <paramref name="name"/> in <paramref name="ns"/> (null for cluster-scoped), or null.</summary>
    public KubeObject? Find(string kind, string? ns, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name && o.Namespace == ns);

    public KubeObject Single(string kind, string? ns, string name) =>
        Find(kind, ns, name) ?? throw new Xunit.Sdk.XunitException($"{Folder}: no {kind} {ns}/{name}");

    /// <summary>Every AuthorizationPolicy whose action is CUSTOM.</summary>
    public IEnumerable<KubeObject> CustomPolicies() =>
        OfKind("AuthorizationPolicy").Where(p => p.Str("spec.action") == "CUSTOM");

    /// <summary>The ExtAuthz Deployment (the one running the <c>extauthz</c> image).</summary>
    public KubeObject ExtAuthzDeployment() => Single("Deployment", "extauthz");

    public IReadOnlyDictionary<string, string> ExtAuthzPodLabels() =>
        ExtAuthzDeployment().Root.Labels("spec.template.metadata.labels");
}
