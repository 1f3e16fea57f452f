using System.Text.Json.Nodes;
using ExtAuthz.Kubernetes.Objects;

namespace ExtAuthz.Controller.Tests.Reconcile;

/// <summary>
/// The Profile CRD's schema for one version, as Kubeflow ships it or with the status-schema patch of
/// <c>istio/controller/profile-crd-status</c> applied (its <c>test</c> and <c>add</c> operations, as kustomize applies them).
/// </summary>
internal static class ProfileCrd
{
    private static string File(string name) => Path.Combine(AppContext.BaseDirectory, "ProfileCrd", name);

    public static JsonObject Schema(string version, bool patched)
    {
        var crd = Read("kubeflow-profiles-crd.yaml").AsObject();
        if (patched)
        {
            foreach (var op in Read("status-schema.yaml").AsArray().Select(o => o!.AsObject()))
            {
                Apply(crd, op["op"]!.GetValue<string>(), op["path"]!.GetValue<string>(), op["value"]);
            }
        }

        return crd["spec"]!["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == version)!["schema"]!["openAPIV3Schema"]!.AsObject();
    }

    private static JsonNode Read(string name) => JsonNode.Parse(YamlJson.ReadDocuments(System.IO.File.ReadAllText(File(name))).Single().GetRawText())!;

    private static void Apply(JsonObject root, string op, string path, JsonNode? value)
    {
        var segments = path.Split('/')[1..];
        JsonNode parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = parent is JsonArray list ? list[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)]! : parent[segment]!;
        }

        var last = segments[^1];
        switch (op)
        {
            case "test":
                Assert.True(JsonNode.DeepEquals(parent[last], value), $"test failed at {path}");
                break;
            case "add":
                parent[last] = value?.DeepClone();
                break;
            default:
                Assert.Fail($"unexpected op {op}");
                break;
        }
    }
}
