using Envoy.Service.Auth.V3;
using ExtAuthz.Testing;
using CliMain = ExtAuthz.Cli.Cli;

namespace ExtAuthz.Server.Tests.Cli;

/// <summary><c>extauthz token</c>: the development issuer's token on standard output, for <c>$ADMIN_TOKEN</c> and the like.</summary>
public sealed class TokenCommandTests
{
    [Fact]
    public async Task Token_DevelopmentIssuerOn_PrintsATokenTheServerAccepts()
    {
        await using var server = await ServerInstance.StartAsync(["--Identity:DevIssuer:Enabled=true"]);

        var (exit, output, _) = await RunAsync("token", "--ops", $"http://127.0.0.1:{server.HttpPort}", "--user", "alice@example.com", "--groups", "ml-team");
        var token = output.Trim();
        var response = await new Authorization.AuthorizationClient(server.Channel).CheckAsync(
            Requests.Istio("GET", "/notebook/alice/nb/", headers: [new("authorization", $"Bearer {token}")]));

        Assert.Equal(CliMain.Allowed, exit);
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal("alice@example.com", response.DynamicMetadata.Fields["user"].StringValue);
        Assert.Equal("owner", response.DynamicMetadata.Fields["role"].StringValue);
    }

    [Fact]
    public async Task Token_DevelopmentIssuerOff_ExitsThreeSayingHowToTurnItOn()
    {
        await using var server = await ServerInstance.StartAsync();

        var (exit, output, error) = await RunAsync("token", "--ops", $"http://127.0.0.1:{server.HttpPort}", "--user", "alice@example.com");

        Assert.Equal(CliMain.Failed, exit);
        Assert.Empty(output);
        Assert.Contains("--Identity:DevIssuer:Enabled=true", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("token", "--user")]
    [InlineData("token", "--user", "a@example.com", "--bogus", "1")]
    public async Task Token_BadArguments_ExitsWithUsage(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(CliMain.Usage, exit);
        Assert.Contains("extauthz token", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliMain.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
