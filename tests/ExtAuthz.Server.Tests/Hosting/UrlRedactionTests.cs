using ExtAuthz.Server.Operations;
using ExtAuthz.Server.Tests.Operations.Support;
using ExtAuthz.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>A URL's user-info (user:password@) never appears in what we print: /readyz, log lines, start-up errors.</summary>
public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("https://user:s3cret@idp.example.com/keys", "https://***@idp.example.com/keys")]
    [InlineData("{\"jwksUri\": \"http://u:s3cret@127.0.0.1:5556/dex/keys\"}", "{\"jwksUri\": \"http://***@127.0.0.1:5556/dex/keys\"}")]
    [InlineData("fetch of https://s3cret@a.example/x and https://b:s3cret@b.example?q=1 failed", "fetch of https://***@a.example/x and https://***@b.example?q=1 failed")]
    [InlineData("http://u:p%40s3cret@[::1]:80/k", "http://***@[::1]:80/k")]
    [InlineData("mailto-like alice@example.com at https://idp.example.com/a@b", "mailto-like alice@example.com at https://idp.example.com/a@b")]
    [InlineData("no url here", "no url here")]
    public void Redact_UrlWithUserInfo_KeepsHostAndPathOnly(string text, string expected)
    {
        Assert.Equal(expected, UrlRedaction.Redact(text));
    }

    [Fact]
    public async Task Readyz_KeySetUrlWithPassword_ShowsNoPasswordInTheProbeOrTheLog()
    {
        var log = new CapturedOutput();
        var server = await ServerInstance.StartAsync(
        [
            "--Identity:Issuers:0:Issuer=https://dex.example.com",
            "--Identity:Issuers:0:JwksUri=http://admin:s3cret-pass@127.0.0.1:1/dex/keys",
            "--Identity:Issuers:0:Audiences:0=kubeflow",
            "--Logging:LogLevel:Default=Information",
        ], builder => builder.Services.AddSingleton(sp => new LogSink(log, 1 << 20, sp.GetRequiredService<OperationsMetrics>())));

        var readyz = await server.Http.GetStringAsync("/readyz");
        await server.DisposeAsync();

        Assert.Contains("http://***@127.0.0.1:1/dex/keys", readyz, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", readyz, StringComparison.Ordinal);
        Assert.NotEmpty(log.Lines);
        Assert.DoesNotContain("s3cret", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InvalidUrlWithPassword_ListsTheProblemWithoutThePassword()
    {
        var (app, errors) = ExtAuthz.Server.Hosting.ExtAuthzHost.Build(["--Login:Url=ftp://admin:s3cret@login.example.com/"]);

        Assert.Null(app);
        Assert.Contains(errors, e => e.Contains("ftp://***@login.example.com/", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("s3cret", StringComparison.Ordinal));
    }
}
