using System.Text.Json;
using ExtAuthz.Core.Decisions;
using Google.Protobuf;

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

    /// <summary>
    /// Every golden case through the wire: both readers give the same decision and the same answer bytes, and the
    /// answer applies the decision — the status, and on an allow the identity headers set with append=false over a
    /// spoofed pair, or removed when there is no principal.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Answer_GoldenCaseThroughBothReaders_SameAnswerThatAppliesTheDecision(string id)
    {
        var suite = GoldenSuite.Instance;
        var golden = suite[id];
        var bytes = GoldenWire.RequestBytes(suite, golden);

        var (generated, generatedAnswer) = GoldenWire.Generated(suite.Authorizer, bytes);
        var (lean, leanAnswer) = GoldenWire.Lean(suite.Authorizer, bytes);

        Assert.Equal(generated.HttpStatus, lean.HttpStatus);
        Assert.Equal(generated.Reason, lean.Reason);
        Assert.Equal(generated.Detail, lean.Detail);
        Assert.Equal(generatedAnswer.ToByteArray(), leanAnswer.ToByteArray());
        Assert.Equal(golden.Expect.GetProperty("status").GetInt32(), lean.HttpStatus);
        Assert.Equal(golden.Expect.GetProperty("reason").GetString(), lean.Reason.ToWire());

        if (!lean.Allowed)
        {
            Assert.Equal(lean.HttpStatus, (int)leanAnswer.DeniedResponse.Status.Code);
            Assert.Contains($"\"reason\":\"{lean.Reason.ToWire()}\"", leanAnswer.DeniedResponse.Body, StringComparison.Ordinal);
            return;
        }

        var ok = leanAnswer.OkResponse;
        var set = ok.Headers.ToDictionary(h => h.Header.Key, h => h);
        Assert.All(ok.Headers, h => Assert.False(h.Append));
        if (lean.Principal is { } principal)
        {
            Assert.Equal(principal.UserIdHeaderValue, set["kubeflow-userid"].Header.Value);
            Assert.Equal(principal.GroupsHeaderValue, set.TryGetValue("kubeflow-groups", out var groups) ? groups.Header.Value : null);
            if (principal.GroupsHeaderValue is null)
            {
                Assert.Contains("kubeflow-groups", ok.HeadersToRemove);
            }
        }
        else
        {
            Assert.Empty(ok.Headers);
            Assert.Contains("kubeflow-userid", ok.HeadersToRemove);
            Assert.Contains("kubeflow-groups", ok.HeadersToRemove);
        }
    }
}
