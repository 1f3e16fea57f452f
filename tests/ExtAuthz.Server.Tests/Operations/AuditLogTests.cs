using System.Text.Json;
using ExtAuthz.Server.Operations;
using ExtAuthz.Server.Tests.Operations.Support;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>The decision log: one JSON line per deny and per sampled allow, and never a token, cookie or authorization header.</summary>
public sealed class AuditLogTests
{
    // Shaped like a real JWT, so its signature segment is a recognisable string to search for.
    private const string Signature = "c2lnbmF0dXJlLW9mLWFsaWNlcy10b2tlbi10aGF0LW11c3Qtbm90LWxlYWs";
    private const string Token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJlbWFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIn0." + Signature;

    [Fact]
    public async Task AuditLog_RequestsCarryingTheToken_NeverContainsTokenOrSignature()
    {
        var authenticator = new FakeAuthenticator().Add(Token, FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(1)));
        await using var server = await OpsServer.StartAsync(authenticator, "--Audit:AllowSampleRate=1");

        await server.CheckAsync($"/notebook/kubeflow-user-example-com/nb/?access_token={Token}&x=1", Token,
            headers: [("cookie", $"authservice_session={Token}; other=1"), ("x-goog-iap-jwt-assertion", Token)]);
        await server.CheckAsync($"/dex/auth?id_token={Token}", headers: [("cookie", $"oauth2_proxy={Token}")]);
        await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", Token + "x", headers: [("authorization", $"Bearer {Token}x")]);
        await server.CheckAsync("/last", "done");

        await server.Audit.WaitForLineAsync(l => l.Contains("\"path\":\"/last\"", StringComparison.Ordinal));
        var log = server.Audit.Text;

        Assert.Equal(4, server.Audit.Lines.Length);
        Assert.DoesNotContain(Token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature[..16], log, StringComparison.Ordinal);
        Assert.DoesNotContain("authservice_session", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", log, StringComparison.Ordinal);
        Assert.Contains("\"path\":\"/notebook/kubeflow-user-example-com/nb/?access_token=&x=\"", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLog_Deny_IsOneJsonLineWithWhoWhereWhatAndWhy()
    {
        var authenticator = new FakeAuthenticator().Add("alice-token", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(1)));
        await using var server = await OpsServer.StartAsync(authenticator);

        await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/?tab=logs", "alice-token", method: "POST");

        var line = await server.Audit.WaitForLineAsync(_ => true);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("deny", root.GetProperty("decision").GetString());
        Assert.Equal(403, root.GetProperty("status").GetInt32());
        Assert.Equal("no_access", root.GetProperty("reason").GetString());
        Assert.Equal("alice@example.com", root.GetProperty("user").GetString());
        Assert.Equal("https://issuer.test", root.GetProperty("issuer").GetString());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/notebook/kubeflow-user-example-com/nb/?tab=", root.GetProperty("path").GetString());
        Assert.True(root.GetProperty("detail").GetString()!.Length > 0);
        Assert.True(root.GetProperty("latency_ms").GetDouble() >= 0);
        Assert.True(DateTimeOffset.UtcNow - root.GetProperty("time").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task AuditLog_AllowSampleRateZero_LogsDeniesButNoAllows()
    {
        await using var server = await OpsServer.StartAsync(new FakeAuthenticator(), "--Audit:AllowSampleRate=0");

        await server.CheckAsync("/dex/auth");
        await server.CheckAsync("/oauth2/callback");
        await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/");

        // One writer, in order: once the deny is out, any allow queued before it would be out too.
        await server.Audit.WaitForLineAsync(l => l.Contains("missing_token", StringComparison.Ordinal));
        var line = Assert.Single(server.Audit.Lines);
        Assert.Contains("\"decision\":\"deny\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLog_OutputNone_WritesNothingButStillCounts()
    {
        await using var server = await OpsServer.StartAsync(new FakeAuthenticator(), "--Audit:Output=none");

        await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/");
        var scrape = await server.ScrapeAsync();

        Assert.Equal(1, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"deny\",reason=\"missing_token\"}"));
        Assert.Equal(0, Scrape.Value(scrape, "extauthz_audit_lines_total"));
        Assert.Empty(server.Audit.Text);
    }

    [Fact]
    public async Task AuditLog_RepeatedIdenticalDenies_OneFullLineThenOneCountedLine()
    {
        var authenticator = new FakeAuthenticator().Add("alice-token", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(1)));
        await using var server = await OpsServer.StartAsync(authenticator, "--Audit:RepeatWindow=00:00:03");

        // A first Check pays for the server's warm-up, so the five below fall well inside one window.
        await server.CheckAsync("/warm-up/");
        for (var i = 0; i < 5; i++)
        {
            await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/?tab=" + i, "alice-token", method: "POST");
        }

        await server.CheckAsync("/notebook/kubeflow-user-example-com/other/", "alice-token", method: "POST");

        var counted = await server.Audit.WaitForLineAsync(l => l.Contains("\"repeated\"", StringComparison.Ordinal));
        var lines = server.Audit.Lines;
        Assert.Equal(4, lines.Length);
        using var first = JsonDocument.Parse(Assert.Single(lines, l => l.Contains("?tab=", StringComparison.Ordinal) && !l.Contains("\"repeated\"", StringComparison.Ordinal)));
        Assert.Equal("/notebook/kubeflow-user-example-com/nb/?tab=", first.RootElement.GetProperty("path").GetString());
        Assert.Single(lines, l => l.Contains("\"path\":\"/notebook/kubeflow-user-example-com/other/\"", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(counted);
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("repeated").GetInt64());
        Assert.Equal("deny", root.GetProperty("decision").GetString());
        Assert.Equal("no_access", root.GetProperty("reason").GetString());
        Assert.Equal("alice@example.com", root.GetProperty("user").GetString());
        Assert.Equal("/notebook/kubeflow-user-example-com/nb/?tab=", root.GetProperty("path").GetString());
        Assert.Equal(first.RootElement.GetProperty("time").GetDateTimeOffset(), root.GetProperty("since").GetDateTimeOffset());
        Assert.True(root.GetProperty("time").GetDateTimeOffset() >= root.GetProperty("since").GetDateTimeOffset());
        Assert.True(root.GetProperty("latency_ms_max").GetDouble() >= 0);

        var scrape = await server.ScrapeAsync();
        Assert.Equal(6, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"deny\",reason=\"no_access\"}"));
        Assert.Equal(4, Scrape.Value(scrape, "extauthz_audit_folded_total"));
        Assert.Equal(4, Scrape.Value(scrape, "extauthz_audit_lines_total"));
    }

    [Fact]
    public async Task AuditLog_FloodOfDenies_EveryOneIsALineOrCounted()
    {
        await using var server = await OpsServer.StartAsync(new FakeAuthenticator(), "--Audit:RepeatWindow=00:00:00.200");

        const int Denies = 400;
        await Task.WhenAll(Enumerable.Range(0, Denies).Select(i => server.CheckAsync(i % 2 == 0 ? "/notebook/a/nb/" : "/notebook/b/nb/")));

        // A full line is one deny; a closing line counts the identical ones after it.
        long Accounted() => server.Audit.Lines
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Sum(root => root.TryGetProperty("repeated", out var repeated) ? repeated.GetInt64() : 1);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Accounted() < Denies && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var text = server.Audit.Text;
        var accounted = Accounted();
        Assert.True(Denies == accounted, $"{accounted}:\n{text}");
        Assert.True(server.Audit.Lines.Length < Denies / 4, $"{server.Audit.Lines.Length} lines for {Denies} identical denies");
        var scrape = await server.ScrapeAsync();
        Assert.Equal(0, Scrape.Value(scrape, "extauthz_audit_dropped_total"));
    }

    [Fact]
    public async Task AuditLog_RepeatWindowZero_WritesALinePerDeny()
    {
        await using var server = await OpsServer.StartAsync(new FakeAuthenticator(), "--Audit:RepeatWindow=00:00:00");

        for (var i = 0; i < 4; i++)
        {
            await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/");
        }

        await server.CheckAsync("/last");
        await server.Audit.WaitForLineAsync(l => l.Contains("\"path\":\"/last\"", StringComparison.Ordinal));

        Assert.Equal(5, server.Audit.Lines.Length);
        Assert.DoesNotContain("repeated", server.Audit.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLog_Shutdown_WritesTheOpenCounts()
    {
        var server = await OpsServer.StartAsync(new FakeAuthenticator(), "--Audit:RepeatWindow=00:05:00", "--Server:ShutdownDrain=00:00:00");
        for (var i = 0; i < 3; i++)
        {
            await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/");
        }

        await server.Audit.WaitForLineAsync(_ => true);
        await server.DisposeAsync();

        var counted = Assert.Single(server.Audit.Lines, l => l.Contains("\"repeated\":2", StringComparison.Ordinal));
        Assert.Contains("\"reason\":\"missing_token\"", counted, StringComparison.Ordinal);
        Assert.Equal(2, server.Audit.Lines.Length);
    }

    public static TheoryData<string, string> Targets => new()
    {
        { "/a/b", "/a/b" },
        { "/a/b?x=1&y=2", "/a/b?x=&y=" },
        { "/a?token=eyJ.abc.def", "/a?token=" },
        { "/a?flag&x=", "/a?flag=&x=" },
        { "/a?x=1#frag", "/a?x=" },
        { "/a#frag?x=1", "/a" },
        { "/a?", "/a?" },
        { "/a?x=1&&y=2", "/a?x=&y=" },
        { "/a?&", "/a?" },
        { "/a?=v&x", "/a?=&x=" },
        { "/a?x=1=2&y", "/a?x=&y=" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Shown_Target_KeepsPathAndQueryNamesOnly(string target, string expected) =>
        Assert.Equal(expected, AuditTarget.Shown(target));

    [Fact]
    public void Shown_HugeTarget_IsCut() =>
        Assert.Equal(AuditTarget.MaxChars, AuditTarget.Shown("/" + new string('a', 10_000)).Length);

    [Fact]
    public void SameShown_EveryPairOfTargets_AgreesWithComparingTheShownText()
    {
        string[] targets =
        [
            .. Targets.Select(row => (string)row[0]), "/a", "/a?x=9&y=8", "/a?y=1&x=2", "/a?x", "/a?x=", "/a?x=1&",
            "/b?x=1", "/a?xy=1", "/a?x=1&y=2&z=3", "/" + new string('a', 3000) + "?x=1", "/" + new string('a', 3000),
        ];
        foreach (var a in targets)
        {
            foreach (var b in targets)
            {
                var same = AuditTarget.Shown(a) == AuditTarget.Shown(b);
                Assert.True(same == AuditTarget.SameShown(a, b), $"{a} vs {b}");
                if (same)
                {
                    Assert.Equal(AuditTarget.HashShown(a), AuditTarget.HashShown(b));
                }
            }
        }
    }
}
