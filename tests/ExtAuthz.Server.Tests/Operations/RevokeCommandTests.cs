using ExtAuthz.Server.Tests.Operations.Support;
using CliMain = ExtAuthz.Cli.Cli;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary><c>extauthz revoke</c> against a running server.</summary>
public sealed class RevokeCommandTests : IAsyncLifetime
{
    private readonly FakeAuthenticator _authenticator = new FakeAuthenticator()
        .Add("admin-token", FakeAuthenticator.User("admin@example.com", TimeSpan.FromMinutes(1)))
        .Add("alice-token", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(1)));

    private OpsServer _server = null!;

    private string Ops => $"http://127.0.0.1:{_server.Server.HttpPort}";

    public async Task InitializeAsync() =>
        _server = await OpsServer.StartAsync(_authenticator, "--Policy:ClusterAdmins:0=admin@example.com");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Revoke_UserAsAdmin_PrintsRevokedAndTheNextCheckIsDenied()
    {
        var (exit, output, _) = await RunAsync("revoke", "--ops", Ops, "--bearer", "admin-token", "--user", "alice@example.com");

        Assert.Equal(CliMain.Allowed, exit);
        Assert.StartsWith("REVOKED user alice@example.com", output, StringComparison.Ordinal);
        Assert.Contains("single replica", output, StringComparison.Ordinal);
        Assert.Equal("token_revoked", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/", "alice-token")).DynamicMetadata.Fields["reason"].StringValue);

        var (listExit, list, _) = await RunAsync("revoke", "--ops", Ops, "--bearer", "admin-token", "--list");
        Assert.Equal(CliMain.Allowed, listExit);
        Assert.StartsWith("user", list, StringComparison.Ordinal);
        Assert.Contains("alice@example.com", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_NotAnAdmin_PrintsRefusedAndExitsOne()
    {
        var (exit, output, _) = await RunAsync("revoke", "--ops", Ops, "--bearer", "alice-token", "--user", "admin@example.com");

        Assert.Equal(CliMain.Denied, exit);
        Assert.StartsWith("REFUSED 403  forbidden", output, StringComparison.Ordinal);
        Assert.NotEqual("token_revoked", (await _server.CheckAsync("/notebook/kubeflow-user-example-com/", "admin-token")).DynamicMetadata.Fields["reason"].StringValue);
    }

    [Theory]
    [InlineData("revoke", "--user", "a@example.com")]
    [InlineData("revoke", "--bearer", "t")]
    [InlineData("revoke", "--bearer", "t", "--as", "a@example.com", "--user", "b@example.com")]
    [InlineData("revoke", "--bearer", "t", "--jti", "x")]
    [InlineData("revoke", "--bearer", "t", "--user", "a@example.com", "--token", "x")]
    [InlineData("revoke", "--bearer", "t", "--list", "--user", "a@example.com")]
    [InlineData("revoke", "--bearer")]
    [InlineData("revoke", "--bogus", "1")]
    public async Task Revoke_BadFlags_IsAUsageError(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(CliMain.Usage, exit);
        Assert.Contains("extauthz revoke", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_NothingListening_ExitsThree()
    {
        var (exit, _, error) = await RunAsync("revoke", "--ops", $"http://127.0.0.1:{ExtAuthz.Testing.FreePort.Next()}", "--bearer", "t", "--user", "a@example.com");

        Assert.Equal(CliMain.Failed, exit);
        Assert.Contains("no answer", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliMain.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
