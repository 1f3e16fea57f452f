using ExtAuthz.Server.SelfService;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.SelfService;

/// <summary>Two replicas over one folder: a change made through one is seen by the other through its own directory watch.</summary>
public sealed class ReplicaTests
{
    [Fact]
    public async Task Share_ThroughOneReplica_TheOtherSeesItThroughItsOwnWatch()
    {
        await using var first = await SelfServiceHost.StartAsync();
        await using var second = await SelfServiceHost.StartAsync(folder: first.Folder);
        var view = second.Server.Services.GetRequiredService<WorkspaceView>();

        var added = await first.CallAsync("alice@example.com", HttpMethod.Post, "/api/workgroup/add-contributor/alice", new { contributor = "erin@example.com" });
        var seen = await second.Server.Services.GetRequiredService<IndexWait>().UntilAsync(
            () => view.Find("alice")?.Bindings.Any(b => b.Name == "user-erin-example-com-clusterrole-edit") == true, TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(200, added.Status);
        Assert.True(seen);
        Assert.Equal("edit", await second.CheckAsync("erin@example.com", "POST", "/notebook/alice/nb/api/kernels"));
    }
}
