using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Kubernetes.Tests.Fakes;

namespace ExtAuthz.Controller.Tests.Reconcile;

/// <summary>
/// Server-side apply with one field manager, against a fake that tracks field ownership as kube-apiserver does: our
/// manager owns exactly what we write, a hand edit moves a field to its editor until we take it back, and fields
/// others add stay theirs.
/// </summary>
public sealed class FieldManagerTests
{
    private const string Manager = "extauthz-profile-controller";

    private static Dictionary<string, HashSet<string>> Owners(JsonObject obj) => FieldOwnership.Read(obj);

    private static List<JsonObject> Workspace(ControllerHarness h, string ns) =>
        [.. ManagedKind.Owned.SelectMany(k => h.Api.Resource(ControllerHarness.Path(k)).Objects())
            .Where(o => Meta.Namespace(o) == ns || (Meta.Namespace(o) is null && Meta.Name(o) == ns))];

    [Fact]
    public async Task Reconcile_NewProfile_EveryOwnedFieldHeldByOurApplyManagerAlone()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", quota: Profiles.Quota("4", "8Gi")));
        await h.ReconcileAsync("team-a");

        var objects = Workspace(h, "team-a");

        Assert.Equal(9, objects.Count);
        Assert.All(objects, obj =>
        {
            var entry = Assert.Single(obj["metadata"]!["managedFields"]!.AsArray())!;
            Assert.Equal(Manager, entry["manager"]!.GetValue<string>());
            Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
            Assert.Equal(FieldOwnership.Leaves(obj).Order(StringComparer.Ordinal), Owners(obj)[Manager].Order(StringComparer.Ordinal));
        });
    }

    [Fact]
    public async Task Reconcile_Twice_SecondWritesNothing()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a", quota: Profiles.Quota("4", "8Gi")));
        await h.ReconcileAsync("team-a");
        var writes = h.Api.Writes.Count;
        var versions = Workspace(h, "team-a").Select(Meta.ResourceVersion).ToList();

        await h.ReconcileAsync("team-a");

        Assert.Equal(writes, h.Api.Writes.Count);
        Assert.Equal(versions, Workspace(h, "team-a").Select(Meta.ResourceVersion));
    }

    [Fact]
    public async Task Reconcile_OurFieldsEditedByAnotherManager_PutBackAndOwnedAgainTheirsKept()
    {
        await using var h = await ControllerHarness.StartAsync();
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");
        Assert.Equal(200, h.Api.Edit(h.Namespaces, "team-a", n =>
        {
            n["metadata"]!["labels"]!["istio-injection"] = "disabled";
            n["metadata"]!["labels"]!["cost-centre"] = "ml";
        }));
        Assert.Equal(200, h.Api.Edit(h.Api.RoleBindings, "team-a/namespaceAdmin", b => b["subjects"]![0]!["name"] = "mallory@example.com"));
        Assert.Equal(["/metadata/labels/cost-centre", "/metadata/labels/istio-injection"], Owners(h.Namespaces.Get("team-a")!)["kubectl-edit"].Order(StringComparer.Ordinal));
        Assert.DoesNotContain("/subjects", Owners(h.Api.RoleBindings.Get("team-a/namespaceAdmin")!)[Manager]);

        await h.ReconcileAsync("team-a");

        var ns = h.Namespaces.Get("team-a")!;
        Assert.Equal("enabled", ns["metadata"]!["labels"]!["istio-injection"]!.GetValue<string>());
        Assert.Equal("ml", ns["metadata"]!["labels"]!["cost-centre"]!.GetValue<string>());
        Assert.Contains("/metadata/labels/istio-injection", Owners(ns)[Manager]);
        Assert.Equal(["/metadata/labels/cost-centre"], Owners(ns)["kubectl-edit"]);
        var binding = h.Api.RoleBindings.Get("team-a/namespaceAdmin")!;
        Assert.Equal("alice@example.com", binding["subjects"]![0]!["name"]!.GetValue<string>());
        Assert.Equal([Manager], Owners(binding).Keys);
    }
}
