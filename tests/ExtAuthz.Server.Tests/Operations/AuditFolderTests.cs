using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>Folding repeated identical decision lines: the first is written, the rest counted, nothing lost or merged wrongly.</summary>
public sealed class AuditFolderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public void Admit_IdenticalDeniesInOneWindow_FirstWrittenRestCountedIntoOneDueLine()
    {
        var folder = new AuditFolder(Window);

        Assert.True(folder.Admit(Deny("bob", at: 0) with { Target = "/notebook/ns/nb/" }, out _));
        Assert.False(folder.Admit(Deny("bob", at: 100, latencyMs: 7) with { Target = "/notebook/ns/nb/" }, out _));
        Assert.False(folder.Admit(Deny("bob", at: 900, latencyMs: 2) with { Target = "/notebook/ns/nb/" }, out _));

        Assert.False(folder.TryTakeDue(T0.AddMilliseconds(999), all: false, out _));
        Assert.True(folder.TryTakeDue(T0.AddMilliseconds(1000), all: false, out var repeats));
        Assert.Equal(2, repeats.Count);
        Assert.Equal(T0, repeats.First.At);
        Assert.Equal(T0.AddMilliseconds(900), repeats.Last);
        Assert.Equal(TimeSpan.FromMilliseconds(7), repeats.MaxLatency);
        Assert.Equal("bob@example.com", repeats.First.Decision.Principal?.UserId);
        Assert.Null(folder.NextDue);
    }

    [Fact]
    public void TryTakeDue_WindowWithoutRepeats_WritesNothingMore()
    {
        var folder = new AuditFolder(Window);
        Assert.True(folder.Admit(Deny("bob", at: 0) with { Target = "/a" }, out _));

        Assert.Equal(T0 + Window, folder.NextDue);
        Assert.False(folder.TryTakeDue(T0.AddSeconds(5), all: false, out _));
        Assert.Null(folder.NextDue);
    }

    [Fact]
    public void Admit_DecisionsDifferingInOneField_AreNeverFoldedTogether()
    {
        var folder = new AuditFolder(Window);
        var first = Deny("bob", at: 0);
        Assert.True(folder.Admit(first with { Target = "/a" }, out _));

        Assert.True(folder.Admit(Deny("carol", at: 1) with { Target = "/a" }, out _));
        Assert.True(folder.Admit(first with { Target = "/b" }, out _));
        Assert.True(folder.Admit(first with { Method = "POST", Target = "/a" }, out _));
        Assert.True(folder.Admit(first with { Decision = first.Decision with { Reason = ReasonCode.ReadOnly } } with { Target = "/a" }, out _));
        Assert.True(folder.Admit(first with { Decision = first.Decision with { Namespace = "other" } } with { Target = "/a" }, out _));
        Assert.True(folder.Admit(first with { Decision = first.Decision with { DryRun = true } } with { Target = "/a" }, out _));
        Assert.True(folder.Admit(first with { Decision = first.Decision with { Detail = "another binding" } } with { Target = "/a" }, out _));
        Assert.True(folder.Admit(first with { Decision = first.Decision with { Allowed = true, HttpStatus = 200 } } with { Target = "/a" }, out _));

        Assert.False(folder.TryTakeDue(T0.AddHours(1), all: false, out _));
    }

    [Fact]
    public void Admit_TargetsThatShowTheSame_AreFoldedAndShownOnce()
    {
        var folder = new AuditFolder(Window);

        Assert.True(folder.Admit(Deny("bob", at: 0) with { Target = "/a?token=one&x=1" }, out var shown));
        Assert.Equal("/a?token=&x=", shown);
        Assert.False(folder.Admit(Deny("bob", at: 1) with { Target = "/a?token=two&x=2#frag" }, out var folded));
        Assert.Equal("", folded);
        Assert.True(folder.Admit(Deny("bob", at: 2) with { Target = "/a?token=one" }, out _));

        Assert.True(folder.TryTakeDue(T0.AddSeconds(1), all: false, out var repeats));
        Assert.Equal("/a?token=&x=", repeats.Path);
        Assert.Equal(1, repeats.Count);
    }

    [Fact]
    public void Admit_AfterTheWindowEnds_OpensANewWindowWithAFullLine()
    {
        var folder = new AuditFolder(Window);
        Assert.True(folder.Admit(Deny("bob", at: 0) with { Target = "/a" }, out _));
        Assert.False(folder.Admit(Deny("bob", at: 500) with { Target = "/a" }, out _));

        // The window's end passed, but it was not taken yet: the next identical decision is not counted into it.
        Assert.True(folder.Admit(Deny("bob", at: 1000) with { Target = "/a" }, out _));

        Assert.True(folder.TryTakeDue(T0.AddMilliseconds(1000), all: false, out var first));
        Assert.Equal(1, first.Count);
    }

    [Fact]
    public void Admit_ZeroWindow_WritesEveryDecision()
    {
        var folder = new AuditFolder(TimeSpan.Zero);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(folder.Admit(Deny("bob", at: i) with { Target = "/a" }, out _));
        }

        Assert.Null(folder.NextDue);
        Assert.False(folder.TryTakeDue(T0.AddHours(1), all: true, out _));
    }

    [Fact]
    public void Admit_MoreKindsThanTracked_WritesTheUntrackedInFull()
    {
        var folder = new AuditFolder(Window);
        for (var i = 0; i < AuditFolder.MaxOpen; i++)
        {
            Assert.True(folder.Admit(Deny("bob", at: 0) with { Target = $"/p{i}" }, out _));
        }

        // A scanner on ever-new paths cannot make the folder grow without bound, nor lose a line.
        Assert.True(folder.Admit(Deny("bob", at: 1) with { Target = "/overflow" }, out _));
        Assert.True(folder.Admit(Deny("bob", at: 2) with { Target = "/overflow" }, out _));
        Assert.False(folder.Admit(Deny("bob", at: 3) with { Target = "/p0" }, out _));
    }

    [Fact]
    public void TryTakeDue_All_TakesOpenWindowsBeforeTheirEnd()
    {
        var folder = new AuditFolder(Window);
        folder.Admit(Deny("bob", at: 0), out _);
        folder.Admit(Deny("bob", at: 1), out _);
        folder.Admit(Deny("carol", at: 2), out _);

        Assert.True(folder.TryTakeDue(T0, all: true, out var repeats));
        Assert.Equal("bob@example.com", repeats.First.Decision.Principal?.UserId);
        Assert.Equal(1, repeats.Count);
        Assert.False(folder.TryTakeDue(T0, all: true, out _));
        Assert.Null(folder.NextDue);
    }

    private static AuditRecord Deny(string user, int at, int latencyMs = 1)
    {
        var principal = new Principal("https://issuer.test", $"{user}@example.com", $"{user}@example.com", [], T0.AddHours(1));
        var decision = new Decision
        {
            Allowed = false,
            HttpStatus = 403,
            Reason = ReasonCode.NoAccess,
            Principal = principal,
            Namespace = "ns",
            Issuer = principal.Issuer,
        };
        return new AuditRecord(T0.AddMilliseconds(at), decision, "GET", "/ignored", TimeSpan.FromMilliseconds(latencyMs));
    }
}
