using ExtAuthz.Server.Hosting;
using ExtAuthz.Testing;
using Microsoft.Extensions.Configuration;

namespace ExtAuthz.Server.Tests.Configuration;

/// <summary>An invalid configuration never starts, and every problem is listed at once, one per line.</summary>
public sealed class StartupValidationTests
{
    public static TheoryData<string[], string[]> Invalid => new()
    {
        { ["--Server:GrpcPort=70000"], ["Server:GrpcPort: 70000 is not a TCP port"] },
        { ["--Server:GrpcPort=9100", "--Server:HttpPort=9100"], ["Server:HttpPort: must differ from Server:GrpcPort"] },
        { ["--Server:GrpcPort=abc"], ["Server:GrpcPort: 'abc' is not a whole number"] },
        { ["--Server:KeepAliveTimeout=-00:00:01"], ["Server:KeepAliveTimeout: must be positive"] },
        { ["--Server:Bogus=1"], ["Server:Bogus: unknown key 'Bogus'; Server has GrpcPort, HttpPort, "] },
        { ["--Policy:Source=Etcd"], ["Policy:Source: 'Etcd' is not one of Directory, Kubernetes"] },
        { ["--Policy:PublicPaths:0=dex"], ["Policy:PublicPaths:0: 'dex' must start with '/'"] },
        { ["--Policy:AdminPaths:0=/kfam/../x"], ["Policy:AdminPaths:0: '/kfam/../x' is not a plain path"] },
        { ["--Policy:SafeMethods:0=get"], ["Policy:SafeMethods:0: 'get' is not an upper-case HTTP method"] },
        { ["--Policy:KServeDomains:0=.example.com"], ["Policy:KServeDomains:0: '.example.com' is not a DNS domain"] },
        { ["--Policy:UnknownRoutes=Open", "--Policy:RouteCatalogues:0=/nonexistent/routes.yaml"], ["Policy:UnknownRoutes: 'Open' is not one of Authenticated, Deny", "Policy:RouteCatalogues:0: '/nonexistent/routes.yaml' cannot be read"] },
        { ["--Headers:UserId=bad header"], ["Headers:UserId: 'bad header' is not a valid HTTP header name"] },
        { ["--Headers:Groups=kubeflow-userid"], ["Headers:Groups: must differ from Headers:UserId"] },
        { ["--Login:Url=javascript:alert(1)"], ["Login:Url: 'javascript:alert(1)' must be a path"] },
        { ["--Login:Url=//evil.example.com/"], ["Login:Url: '//evil.example.com/' must be a path"] },
        { ["--Login:ApiPaths:0=/api//x"], ["Login:ApiPaths:0:"] },
        { ["--Identity:ClockSkew=01:00:00"], ["Identity:ClockSkew: must be between"] },
        { ["--Identity:Issuers:0:Issuer=https://dex"], ["Identity:Issuers:0:Audiences: at least one non-empty audience is required"] },
        { ["--Identity:Issuers:0:Audiences:0=x"], ["Identity:Issuers:0:Issuer: is required"] },
        { ["--Identity:DevIssuer:Enabled=true", "--Policy:Source=Kubernetes"], ["Identity:DevIssuer:Enabled: the development issuer cannot be on with Policy:Source=Kubernetes"] },
        {
            ["--Server:GrpcPort=-1", "--Policy:Source=Nope", "--Login:Url=ftp://x"],
            ["Server:GrpcPort: -1 is not a TCP port", "Policy:Source: 'Nope'", "Login:Url: 'ftp://x'"]
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Build_InvalidConfiguration_ListsEveryProblem(string[] args, string[] expected)
    {
        var (app, errors) = ExtAuthzHost.Build(args);

        Assert.Null(app);
        foreach (var fragment in expected)
        {
            Assert.Contains(errors, e => e.StartsWith(fragment, StringComparison.Ordinal));
        }

        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Fact]
    public void Build_Defaults_AreValid()
    {
        var (app, errors) = ExtAuthzHost.Build(["--Server:GrpcPort=0", "--Server:HttpPort=0"]);

        Assert.Empty(errors);
        Assert.NotNull(app);
    }

    [Fact]
    public void Build_Defaults_DoNotWatchTheContentRootForConfigurationChanges()
    {
        var (app, errors) = ExtAuthzHost.Build([]);

        Assert.Empty(errors);
        var files = ((IConfigurationRoot)app!.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, provider => Assert.False(provider.Source.ReloadOnChange, provider.Source.Path));
    }

    [Fact]
    public async Task Process_InvalidConfiguration_ExitsNonZeroListingEveryProblem()
    {
        var (exitCode, lines) = await RefusedStart.RunAsync(["--Server:GrpcPort=99999", "--Policy:Source=Nope", "--Headers:UserId="]);

        Assert.Equal(ExtAuthzHost.InvalidConfigurationExitCode, exitCode);
        Assert.Equal("Invalid configuration:", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Server:GrpcPort: 99999", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Policy:Source: 'Nope'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Headers:UserId: must not be empty", StringComparison.Ordinal));
    }
}
