using System.Text.Json;
using ExtAuthz.Testing;
using CliMain = ExtAuthz.Cli.Cli;

namespace ExtAuthz.Server.Tests.Cli;

/// <summary>The check CLI against a running server: what a platform engineer sees and what scripts parse.</summary>
public sealed class CheckCommandTests : IAsyncLifetime
{
    private ServerInstance _server = null!;

    public async Task InitializeAsync() => _server = await ServerInstance.StartAsync(["--Login:Url=/oauth2/start"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Check_PublicPath_PrintsAllowAndExitsZero()
    {
        var (exit, output, _) = await RunAsync("check", "--addr", Address, "--path", "/dex/auth", "-H", "kubeflow-userid: mallory@example.com");

        Assert.Equal(CliMain.Allowed, exit);
        Assert.StartsWith("ALLOW 200  public", output, StringComparison.Ordinal);
        Assert.Contains("remove  ", output, StringComparison.Ordinal);
        Assert.Contains("kubeflow-userid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ProtectedPathWithoutToken_PrintsDenyWithChallengeAndExitsOne()
    {
        var (exit, output, _) = await RunAsync("check", "--addr", Address, "--path", "/notebook/alice/nb/");

        Assert.Equal(CliMain.Denied, exit);
        Assert.StartsWith("DENY  401  missing_token  (server decided in ", output, StringComparison.Ordinal);
        Assert.Contains(" ms; round trip ", output, StringComparison.Ordinal);
        Assert.Contains("www-authenticate: Bearer realm=\"kubeflow\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BrowserNavigationWithLoginUrl_PrintsRedirect()
    {
        var (exit, output, _) = await RunAsync("check", "--addr", Address, "--path", "/notebook/alice/nb/?x=1", "--browser");

        Assert.Equal(CliMain.Denied, exit);
        Assert.StartsWith("DENY  302", output, StringComparison.Ordinal);
        Assert.Contains("location: /oauth2/start?rd=%2Fnotebook%2Falice%2Fnb%2F%3Fx%3D1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_IsOneParsableObject()
    {
        var (exit, output, _) = await RunAsync("check", "--addr", Address, "--path", "/notebook/alice/", "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(CliMain.Denied, exit);
        Assert.Equal("deny", json.RootElement.GetProperty("decision").GetString());
        Assert.Equal(401, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("missing_token", json.RootElement.GetProperty("reason").GetString());
        Assert.True(json.RootElement.GetProperty("latencyMs").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("serverDecisionMs").GetDouble() > 0);
        Assert.False(json.RootElement.GetProperty("metadata").TryGetProperty("decision_time_us", out _));
    }

    [Fact]
    public async Task Check_V2_UsesTheLegacyPath()
    {
        var (exit, output, _) = await RunAsync("check", "--addr", Address, "--v2", "--path", "/oauth2/callback");

        Assert.Equal(CliMain.Allowed, exit);
        Assert.StartsWith("ALLOW", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "--bogus", "1")]
    [InlineData("check", "--path")]
    [InlineData("check", "-H", "no-colon")]
    [InlineData("check", "-H", "")]
    [InlineData("check", "-H", ":")]
    [InlineData("frobnicate")]
    public async Task Run_BadArguments_ExitsWithUsage(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(CliMain.Usage, exit);
        Assert.Contains("extauthz check", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NothingListening_ExitsWithFailure()
    {
        var (exit, _, error) = await RunAsync("check", "--addr", $"http://127.0.0.1:{FreePort.Next()}", "--path", "/");

        Assert.Equal(CliMain.Failed, exit);
        Assert.Contains("no answer", error, StringComparison.Ordinal);
    }

    private string Address => $"http://127.0.0.1:{_server.GrpcPort}";

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliMain.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
