using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Reconcile;

namespace ExtAuthz.Controller.Tests.Reconcile;

public sealed class AdoptionTests
{
    public static TheoryData<string?, string?, bool> Namespaces => new()
    {
        // owner annotation, adopt annotation, adopted
        { "alice@example.com", null, true },
        { null, "true", true },
        { "bob@example.com", "true", true },
        { "bob@example.com", null, false },
        { null, null, false },
        { "Alice@example.com", null, false },
        { null, "yes", false },
    };

    [Theory]
    [MemberData(nameof(Namespaces))]
    public async Task Reconcile_ExistingNamespace_AdoptedOnlyWhenMarked(string? owner, string? adopt, bool adopted)
    {
        await using var h = await ControllerHarness.StartAsync();
        var annotations = new JsonObject();
        if (owner is not null)
        {
            annotations["owner"] = owner;
        }

        if (adopt is not null)
        {
            annotations[WorkspaceWriter.AdoptAnnotation] = adopt;
        }

        h.Namespaces.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = "team-a", ["uid"] = "ns-uid", ["annotations"] = annotations },
        });
        await h.AddProfileAsync(Profiles.New("team-a", owner: "alice@example.com"));
        var writesBefore = h.WritesInto("team-a").Count;

        await h.ReconcileAsync("team-a");

        var ready = h.Condition("team-a", "Ready")!;
        if (adopted)
        {
            Assert.Equal("True", ready["status"]!.GetValue<string>());
            Assert.Equal(Meta.Uid(h.Profile("team-a")!), Meta.ProfileController(h.Namespaces.Get("team-a")!)?.Uid);
        }
        else
        {
            Assert.Equal("NamespaceOwnedByOther", ready["reason"]!.GetValue<string>());
            Assert.Contains(WorkspaceWriter.AdoptAnnotation, ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(writesBefore, h.WritesInto("team-a").Count);
            Assert.Null(Meta.ProfileController(h.Namespaces.Get("team-a")!));
            Assert.Contains(h.Api.Writes, w => w.Target.Plural == "events" && w.Body?["reason"]?.GetValue<string>() == "NamespaceOwnedByOther");
        }
    }

    [Theory]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("istio-system")]
    [InlineData("kubeflow")]
    [InlineData("default")]
    [InlineData("cert-manager")]
    public async Task Reconcile_SystemNamespaceName_NeverAdopted(string name)
    {
        await using var h = await ControllerHarness.StartAsync(o => o.SystemNamespaces = ["cert-manager"]);
        h.Namespaces.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["annotations"] = new JsonObject { ["owner"] = "alice@example.com", [WorkspaceWriter.AdoptAnnotation] = "true" },
            },
        });
        await h.AddProfileAsync(Profiles.New(name));

        var retry = await h.ReconcileAsync(name);

        Assert.False(retry);
        Assert.Equal("NamespaceReserved", h.Condition(name, "Ready")!["reason"]!.GetValue<string>());
        Assert.Empty(h.WritesInto(name));
    }
}
