using ExtAuthz.Controller.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Controller.Tests.Reconcile;

public sealed class NamespaceLabelsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"labels-{Guid.NewGuid():N}.yaml");

    [Fact]
    public async Task Reconcile_LabelsFileChanged_NewLabelAppliedEmptyValueRemoved()
    {
        File.WriteAllText(_file, "istio-injection: enabled\nteam-label: one\n");
        await using var h = await ControllerHarness.StartAsync(o => o.NamespaceLabelsFile = _file);
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");
        Assert.Equal("one", h.Namespaces.Get("team-a")!["metadata"]!["labels"]!["team-label"]!.GetValue<string>());
        var changed = 0;
        h.Runtime.Labels.Changed += () => changed++;

        File.WriteAllText(_file, "istio-injection: enabled\nteam-label: \"\"\nnew-label: two\n");
        Assert.True(h.Runtime.Labels.Reload());
        await h.ReconcileAsync("team-a");

        var labels = h.Namespaces.Get("team-a")!["metadata"]!["labels"]!.AsObject();
        Assert.Equal(1, changed);
        Assert.Equal("two", labels["new-label"]!.GetValue<string>());
        Assert.False(labels.ContainsKey("team-label"));
    }

    [Fact]
    public async Task Reconcile_LabelLeftOutOfFile_ReleasedAndRemovedOthersLabelKept()
    {
        File.WriteAllText(_file, "istio-injection: enabled\nteam-label: one\n");
        await using var h = await ControllerHarness.StartAsync(o => o.NamespaceLabelsFile = _file);
        await h.AddProfileAsync(Profiles.New("team-a"));
        await h.ReconcileAsync("team-a");
        Assert.Equal(200, h.Api.Edit(h.Namespaces, "team-a", n => n["metadata"]!["labels"]!["cost-centre"] = "ml"));

        File.WriteAllText(_file, "istio-injection: enabled\n");
        Assert.True(h.Runtime.Labels.Reload());
        await h.ReconcileAsync("team-a");

        var labels = h.Namespaces.Get("team-a")!["metadata"]!["labels"]!.AsObject();
        Assert.False(labels.ContainsKey("team-label"));
        Assert.Equal("ml", labels["cost-centre"]!.GetValue<string>());
        Assert.Equal("enabled", labels["istio-injection"]!.GetValue<string>());
    }

    [Fact]
    public void Reload_BrokenFile_KeepsLastGoodSetAndReportsIt()
    {
        File.WriteAllText(_file, "a: b\n");
        using var labels = new NamespaceLabels(_file, new FakeTimeProvider(), TimeSpan.FromSeconds(5));

        File.WriteAllText(_file, "- not\n- a map\n");

        Assert.False(labels.Reload());
        Assert.Equal("b", labels.Current["a"]);
        Assert.NotNull(labels.Problem);
    }

    [Fact]
    public void Poll_FileChanged_ReloadedWhenTheClockTicks()
    {
        File.WriteAllText(_file, "a: b\n");
        var time = new FakeTimeProvider();
        using var labels = new NamespaceLabels(_file, time, TimeSpan.FromSeconds(5));
        File.WriteAllText(_file, "a: c\n");

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("c", labels.Current["a"]);
    }

    public void Dispose() => File.Delete(_file);
}
