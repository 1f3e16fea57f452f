using System.Text.Json.Nodes;

namespace ExtAuthz.Controller.Tests.Reconcile;

/// <summary>
/// The Profile status against an API server that prunes to the CRD's schema: Kubeflow's own schema drops what we
/// write beyond type, status and message (and the controller does not loop on it); with the status-schema patch
/// every field survives as written.
/// </summary>
public sealed class StatusSchemaTests
{
    private static JsonObject LastStatusWritten(ControllerHarness h) =>
        h.Api.Writes.Last(w => w.Target.Plural == "profiles" && w.Target.Subresource == "status").Body!["status"]!.AsObject();

    [Fact]
    public async Task Reconcile_KubeflowCrdSchema_ExtraFieldsPrunedAndNoWriteLoop()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Api.Profiles.Schema = ProfileCrd.Schema("v1", patched: false);
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");
        var writes = h.Api.Writes.Count;

        await h.ReconcileAsync("team-a");

        var status = h.Profile("team-a")!["status"]!.AsObject();
        Assert.Null(status["observedGeneration"]);
        Assert.Equal(["message", "status", "type"], Assert.Single(status["conditions"]!.AsArray())!.AsObject().Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Equal(writes, h.Api.Writes.Count);
    }

    [Fact]
    public async Task Reconcile_PatchedCrdSchema_StatusStoredExactlyAsWritten()
    {
        await using var h = await ControllerHarness.StartAsync();
        h.Api.Profiles.Schema = ProfileCrd.Schema("v1", patched: true);
        await h.AddProfileAsync(Profiles.New("team-a"));

        await h.ReconcileAsync("team-a");

        var written = LastStatusWritten(h);
        Assert.Equal(["lastTransitionTime", "message", "observedGeneration", "reason", "status", "type"],
            Assert.Single(written["conditions"]!.AsArray())!.AsObject().Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.True(JsonNode.DeepEquals(written, h.Profile("team-a")!["status"]), h.Profile("team-a")!["status"]!.ToJsonString());
    }

    [Fact]
    public void Schema_PatchedBothVersions_SameStatusSchema()
    {
        Assert.True(JsonNode.DeepEquals(ProfileCrd.Schema("v1", patched: true)["properties"]!["status"], ProfileCrd.Schema("v1beta1", patched: true)["properties"]!["status"]));
        Assert.False(JsonNode.DeepEquals(ProfileCrd.Schema("v1", patched: true)["properties"]!["status"], ProfileCrd.Schema("v1", patched: false)["properties"]!["status"]));
    }
}
