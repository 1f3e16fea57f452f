using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Controller.Tests.Reconcile;

/// <summary>
/// Golden folders: <c>profile.yaml</c> and the <c>objects.yaml</c> a reconcile must leave in the cluster, written from
/// what Kubeflow's Go controller writes. The folder name is the mesh mode. Compared field by field, both ways.
/// </summary>
public sealed class GoldenShapeTests
{
    public static TheoryData<string> Cases => [.. Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Golden")).Select(d => Path.GetFileName(d)!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reconcile_GoldenProfile_WritesExactlyTheGoldenObjects(string folder)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Golden", folder);
        var mode = folder == "kubeflow-compat" ? "Compatibility" : "Authorizer";
        await using var h = await ControllerHarness.StartAsync(o => o.MeshMode = mode);
        var profile = Read(Path.Combine(dir, "profile.yaml")).Single();
        var name = Meta.Name(profile);
        profile["metadata"]!["uid"] = "5b0a9c1e-0000-4000-8000-000000000001";
        profile["metadata"]!["generation"] = 1;
        await h.AddProfileAsync(profile);

        await h.ReconcileAsync(name);

        var expected = Read(Path.Combine(dir, "objects.yaml"));
        var differences = new List<string>();
        foreach (var want in expected)
        {
            var kind = ManagedKind.Owned.Single(k => k.Kind == want["kind"]!.GetValue<string>());
            var stored = h.Api.Resource(ControllerHarness.Path(kind)).Get(Meta.Namespace(want) is { } ns ? $"{ns}/{Meta.Name(want)}" : Meta.Name(want));
            if (stored is null)
            {
                differences.Add($"{kind.Kind} {Meta.Name(want)}: missing");
                continue;
            }

            Compare($"{kind.Kind} {Meta.Name(want)}", Normalise(stored), want, differences);
        }

        var written = ManagedKind.Owned.Sum(k => h.Api.Resource(ControllerHarness.Path(k)).Objects().Count(o => Meta.Namespace(o) == name || (Meta.Name(o) == name && k == ManagedKind.Namespace)));
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        Assert.Equal(expected.Count, written);
    }

    private static List<JsonObject> Read(string path) =>
        [.. YamlJson.ReadDocuments(File.ReadAllText(path)).Select(e => JsonNode.Parse(e.GetRawText())!.AsObject())];

    /// <summary>Drops what the API server sets, and names the owner's uid as the golden files do.</summary>
    private static JsonObject Normalise(JsonObject stored)
    {
        var metadata = stored["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
        {
            metadata.Remove(field);
        }

        foreach (var reference in metadata["ownerReferences"] as JsonArray ?? [])
        {
            reference!["uid"] = "PROFILE-UID";
        }

        stored.Remove("status");
        return stored;
    }

    private static void Compare(string path, JsonNode? actual, JsonNode? expected, List<string> differences)
    {
        if (actual is JsonObject a && expected is JsonObject e)
        {
            foreach (var key in a.Select(p => p.Key).Union(e.Select(p => p.Key)))
            {
                Compare($"{path}.{key}", a[key], e[key], differences);
            }
        }
        else if (actual is JsonArray aa && expected is JsonArray ea && aa.Count == ea.Count)
        {
            for (var i = 0; i < aa.Count; i++)
            {
                Compare($"{path}[{i}]", aa[i], ea[i], differences);
            }
        }
        else if (!JsonNode.DeepEquals(actual, expected))
        {
            differences.Add($"{path}: written {actual?.ToJsonString() ?? "(absent)"}, golden {expected?.ToJsonString() ?? "(absent)"}");
        }
    }
}
