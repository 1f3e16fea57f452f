using System.Text.Json;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Kubernetes.Tests.Golden;

public sealed class GoldenDecisionTests
{
    public static TheoryData<string> Cases => [.. GoldenSuite.Instance.Cases.Select(c => c.Id)];

    [Fact]
    public void Suite_HasAtLeastSixtyCasesInEveryFile()
    {
        var cases = GoldenSuite.Instance.Cases;

        Assert.True(cases.Count >= 60, $"{cases.Count} cases");
        Assert.Equal(6, cases.Select(c => c.File).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_GoldenCase(string id)
    {
        var golden = GoldenSuite.Instance[id];
        var expect = golden.Expect;

        var decision = GoldenSuite.Instance.Decide(golden);

        Assert.Equal(expect.GetProperty("status").GetInt32(), decision.HttpStatus);
        Assert.Equal(expect.GetProperty("reason").GetString(), decision.Reason.ToWire());
        if (expect.TryGetProperty("role", out var role))
        {
            Assert.Equal(role.GetString(), decision.Role.ToWire());
        }

        if (expect.TryGetProperty("namespace", out var ns))
        {
            Assert.Equal(ns.GetString(), decision.Namespace);
        }

        if (expect.TryGetProperty("userid", out var userId))
        {
            // What the allow would set as kubeflow-userid; null: no identity header at all.
            Assert.Equal(userId.ValueKind == JsonValueKind.Null ? null : userId.GetString(), decision.Principal?.UserIdHeaderValue);
        }

        if (expect.TryGetProperty("groups", out var groups))
        {
            Assert.Equal(groups.GetString(), decision.Principal?.GroupsHeaderValue);
        }

        Assert.Equal(expect.TryGetProperty("dryRun", out var dryRun) && dryRun.GetBoolean(), decision.DryRun);
        if (expect.TryGetProperty("detail", out var detail))
        {
            Assert.Contains(detail.GetString()!, decision.Detail ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
