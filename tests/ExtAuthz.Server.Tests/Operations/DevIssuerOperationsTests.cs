using ExtAuthz.Server.Tests.Operations.Support;
using CliMain = ExtAuthz.Cli.Cli;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>
/// Operations against the embedded default with real tokens from the development issuer: the decision log never
/// holds one, the CLI revokes as an admin whose token it mints, and the identity series appear on /metrics.
/// </summary>
public sealed class DevIssuerOperationsTests : IAsyncLifetime
{
    private OpsServer _server = null!;

    private string Ops => $"http://127.0.0.1:{_server.Server.HttpPort}";

    public async Task InitializeAsync()
    {
        _server = await OpsServer.StartAsync(null, "--Identity:DevIssuer:Enabled=true", "--Policy:ClusterAdmins:0=admin@example.com",
            "--Audit:AllowSampleRate=1");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await _server.Server.Http.GetAsync("/readyz")).IsSuccessStatusCode && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AuditLog_RealTokenInEveryPlace_NeverContainsItOrItsSignature()
    {
        var token = await _server.MintAsync("carol@example.com");
        var signature = token.Split('.')[2];

        await _server.CheckAsync($"/notebook/alice/nb/?token={token}", token, headers: [("cookie", $"authservice_session={token}")]);
        await _server.CheckAsync($"/notebook/bob/nb/?id_token={token}", token, method: "POST");
        await _server.CheckAsync("/notebook/alice/nb/", token[..^2] + "xx");
        await _server.CheckAsync("/last", token);

        await _server.Audit.WaitForLineAsync(l => l.Contains("\"path\":\"/last\"", StringComparison.Ordinal));
        var log = _server.Audit.Text;
        Assert.Equal(4, _server.Audit.Lines.Length);
        Assert.Contains("\"user\":\"carol@example.com\"", log, StringComparison.Ordinal);
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, log, StringComparison.Ordinal);
        Assert.DoesNotContain(signature[..20], log, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_CliAsAdminWithMintedToken_RevokesAliceEverywhereOnThisReplica()
    {
        var alice = await _server.MintAsync("alice@example.com");
        Assert.Equal("granted", await ReasonAsync(alice));

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliMain.RunAsync(["revoke", "--ops", Ops, "--as", "admin@example.com", "--user", "alice@example.com"], stdout, stderr);

        Assert.Equal(CliMain.Allowed, exit);
        Assert.StartsWith("REVOKED user alice@example.com", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal("token_revoked", await ReasonAsync(alice));
    }

    [Fact]
    public async Task Revoke_CliAsNonAdmin_IsRefused()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliMain.RunAsync(["revoke", "--ops", Ops, "--as", "bob@example.com", "--user", "alice@example.com"], stdout, stderr);

        Assert.Equal(CliMain.Denied, exit);
        Assert.StartsWith("REFUSED 403", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_AfterAValidToken_HasTheTokenCacheSizeHitsAndMisses()
    {
        var before = await _server.ScrapeAsync();
        var token = await _server.MintAsync("dave@example.com");
        await _server.CheckAsync("/notebook/alice/nb/", token);
        await _server.CheckAsync("/notebook/alice/nb/", token);
        await _server.CheckAsync("/notebook/bob/nb/", token);

        var scrape = await _server.ScrapeAsync();

        Assert.True(Scrape.Value(scrape, "extauthz_token_cache_entries") >= 1);
        Assert.Equal(2, Scrape.Value(scrape, "extauthz_token_cache_hits_total") - (Scrape.Value(before, "extauthz_token_cache_hits_total") ?? 0));
        Assert.Equal(1, Scrape.Value(scrape, "extauthz_token_cache_misses_total") - (Scrape.Value(before, "extauthz_token_cache_misses_total") ?? 0));
        Assert.Equal(3, Scrape.Value(scrape, "extauthz_index_profiles"));
    }

    private async Task<string> ReasonAsync(string token) =>
        (await _server.CheckAsync("/notebook/alice/nb/", token)).DynamicMetadata.Fields["reason"].StringValue;
}
