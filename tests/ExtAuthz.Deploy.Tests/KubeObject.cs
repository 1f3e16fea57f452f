using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

/// <summary>One rendered Kubernetes object.</summary>
internal sealed class KubeObject(YamlMappingNode root)
{
    public YamlMappingNode Root { get; } = root;

    public string Kind => Root.Str("kind") ?? "";

    public string Name => Root.Str("metadata.name") ?? "";

    public string? Namespace => Root.Str("metadata.namespace");

    public string? Str(string path) => Root.Str(path);

    public IReadOnlyList<YamlNode> Items(string path) => Root.Items(path);

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
