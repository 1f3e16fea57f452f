using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ExtAuthz.Deploy.Tests;

/// <summary>
/// Loading and navigating YAML. Paths are dot-separated keys (<c>spec.template.metadata</c>); a
/// missing step yields null or an empty list, so an absent field fails the assert that reads it.
/// </summary>
internal static class Yaml
{
    public static IReadOnlyList<KubeObject> LoadObjects(string text) =>
        LoadDocuments(text).Select(node => new KubeObject(Assert.IsType<YamlMappingNode>(node))).ToList();

    public static IReadOnlyList<YamlNode> LoadDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    public static YamlMappingNode LoadFile(string relativePath) =>
        Assert.IsType<YamlMappingNode>(Assert.Single(LoadDocuments(File.ReadAllText(RepoRoot.Combine(relativePath)))));

    public static YamlNode? At(this YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var key in path.Split('.'))
        {
            if (current is YamlSequenceNode sequence && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                current = index < sequence.Children.Count ? sequence.Children[index] : null;
                continue;
            }

            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Str(this YamlNode node, string path) => (node.At(path) as YamlScalarNode)?.Value;

    public static int? Int(this YamlNode node, string path) =>
        node.Str(path) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static IReadOnlyList<YamlNode> Items(this YamlNode node, string path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyList<string> Strings(this YamlNode node, string path) =>
        node.Items(path).OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList();

    /// <summary>A string-to-string mapping such as labels or matchLabels; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> Labels(this YamlNode node, string path) =>
        node.At(path) is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(
                kv => ((YamlScalarNode)kv.Key).Value ?? "",
                kv => (kv.Value as YamlScalarNode)?.Value ?? "",
                StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether a matchLabels selector selects a pod with <paramref name="podLabels"/>.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> matchLabels, IReadOnlyDictionary<string, string> podLabels) =>
        matchLabels.All(kv => podLabels.TryGetValue(kv.Key, out var value) && value == kv.Value);
}
