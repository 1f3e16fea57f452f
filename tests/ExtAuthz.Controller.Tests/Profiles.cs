using System.Text.Json.Nodes;
using ExtAuthz.Kubernetes.Tests.Fakes;

namespace ExtAuthz.Controller.Tests;

/// <summary>Profiles for the tests: as a user or self-service creates them (no finalizer, no status yet).</summary>
internal static class Profiles
{
    public static JsonObject New(string name, string owner = "alice@example.com", JsonObject? quota = null, JsonArray? plugins = null,
        string apiVersion = "kubeflow.org/v1", string ownerKind = "User")
    {
        var profile = KubeJson.Profile(name, owner, apiVersion, ownerKind);
        var metadata = profile["metadata"]!.AsObject();
        metadata.Remove("finalizers");
        profile.Remove("status");
        var spec = profile["spec"]!.AsObject();
        spec.Remove("resourceQuotaSpec");
        if (quota is not null)
        {
            spec["resourceQuotaSpec"] = quota;
        }

        if (plugins is not null)
        {
            spec["plugins"] = plugins;
        }

        return profile;
    }

    public static JsonObject Quota(string cpu, string memory) =>
        new() { ["hard"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory } };

    public static JsonArray WorkloadIdentity(string gsa) =>
        new(new JsonObject { ["kind"] = "WorkloadIdentity", ["spec"] = new JsonObject { ["gcpServiceAccount"] = gsa } });

    /// <summary>A stored object with one field changed, for edits "by hand".</summary>
    public static JsonObject With(JsonObject obj, Action<JsonObject> change)
    {
        var copy = obj.DeepClone().AsObject();
        change(copy);
        return copy;
    }
}
