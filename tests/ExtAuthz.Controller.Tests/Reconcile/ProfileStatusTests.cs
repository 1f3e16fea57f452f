using System.Text.Json.Nodes;
using ExtAuthz.Controller.Reconcile;

namespace ExtAuthz.Controller.Tests.Reconcile;

public sealed class ProfileStatusTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static ProfileView Profile(JsonObject? status, long generation = 3) => ProfileView.Read(new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = "team-a", ["uid"] = "u", ["generation"] = generation },
        ["status"] = status,
    });

    [Fact]
    public void Next_SameOutcome_NothingToWrite()
    {
        var first = ProfileStatus.Next(Profile(null), [("Ready", true, "WorkspaceReady", "ok")], s_now)!;

        Assert.Null(ProfileStatus.Next(Profile(first), [("Ready", true, "WorkspaceReady", "ok")], s_now.AddHours(1)));
    }

    [Fact]
    public void Next_StoredByKubeflowSchema_PrunedFieldsCountAsEqual()
    {
        var pruned = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["message"] = "ok" }) };

        Assert.Null(ProfileStatus.Next(Profile(pruned), [("Ready", true, "WorkspaceReady", "ok")], s_now));
    }

    [Theory]
    [InlineData(true, "WorkspaceReady", "ok", 3, false)]
    [InlineData(false, "PluginFailed", "ok", 3, true)]
    [InlineData(true, "WorkspaceReady", "other", 3, true)]
    [InlineData(true, "WorkspaceReady", "ok", 4, true)]
    public void Next_Changed_WritesAndMovesTransitionTimeOnlyOnFlip(bool ready, string reason, string message, long generation, bool writes)
    {
        var first = ProfileStatus.Next(Profile(null), [("Ready", true, "WorkspaceReady", "ok")], s_now)!;

        var next = ProfileStatus.Next(Profile(first, generation), [("Ready", ready, reason, message)], s_now.AddHours(1));

        Assert.Equal(writes, next is not null);
        if (next is not null)
        {
            var condition = Assert.Single(next["conditions"]!.AsArray())!;
            Assert.Equal(ready ? "2026-12-07T12:00:00Z" : "2026-12-07T13:00:00Z", condition["lastTransitionTime"]!.GetValue<string>());
            Assert.Equal(generation, next["observedGeneration"]!.GetValue<long>());
        }
    }
}
