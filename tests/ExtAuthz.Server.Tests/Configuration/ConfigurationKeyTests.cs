using ExtAuthz.Server.Hosting;
using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.Configuration;

/// <summary>
/// Every configuration key is checked at start: unknown keys and sections, values that do not read, all listed at
/// once with the full key and what was expected; the host's own keys and other programs' environment pass.
/// </summary>
public sealed class ConfigurationKeyTests
{
    /// <summary>Arguments, then every line expected, in order; a line ending in "…" is matched as a prefix.</summary>
    public static TheoryData<string[], string[]> Mistakes => new()
    {
        { ["--Polcy:DryRun=true"], ["Polcy:DryRun: unknown section 'Polcy'; did you mean Policy:DryRun?"] },
        { ["--Frobnicate=1"], ["Frobnicate: unknown section 'Frobnicate'; the sections are Server, Identity, …"] },
        {
            ["--Identity:ClockSkew=banana", "--Identity:MaxTokenBytes=lots", "--Identity:Realmm=x"],
            [
                "Identity:ClockSkew: 'banana' is not a duration [d.]hh:mm:ss[.fff] (00:00:30 is 30 seconds, 1.00:00:00 a day)",
                "Identity:MaxTokenBytes: 'lots' is not a whole number from -2147483648 to 2147483647",
                "Identity:Realmm: unknown key 'Realmm'; did you mean Identity:Realm?",
            ]
        },
        {
            ["--Identity:Issuers:0:Issuer=https://dex.example.com", "--Identity:Issuers:0:Audiences:0=kf", "--Identity:Issuers:0:RequireHttps=maybe"],
            ["Identity:Issuers:0:RequireHttps: 'maybe' is not true or false"]
        },
        {
            // A refused value is left out of the binding, so the rules after it still see the rest of the section.
            ["--Server:KeepAliveTimeout=30", "--Server:GrpcPort=70000"],
            [
                "Server:KeepAliveTimeout: '30' would mean 30 days; expected a duration …",
                "Server:GrpcPort: 70000 is not a TCP port…",
            ]
        },
        { ["--Policy:PublicPaths=/x/"], ["Policy:PublicPaths: is a list; give its items as Policy:PublicPaths:0, Policy:PublicPaths:1, …"] },
        { ["--Logging:Fromat=Text"], ["Logging:Fromat: unknown key 'Fromat'; did you mean Logging:Format?"] },
        { ["--Identity:TokenCacheMaxEntries="], ["Identity:TokenCacheMaxEntries: is empty; expected a whole number from -2147483648 to 2147483647"] },
        { ["--Logging:LogLevel:Default=Verbose"], ["Logging:LogLevel:Default: 'Verbose' is not one of Trace, Debug, Information, Warning, Error, Critical, None"] },
        { ["--Logging:LogLevl:Default=Debug"], ["Logging:LogLevl:Default: unknown key 'LogLevl'; did you mean Logging:LogLevel:Default?"] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Build_KeyMistakes_ListsEachWithTheFullKeyAndNoBinderText(string[] args, string[] expected)
    {
        var (app, errors) = ExtAuthzHost.Build(["--Server:GrpcPort=0", "--Server:HttpPort=0", .. args]);

        Assert.Null(app);
        Assert.Equal(expected.Length, errors.Count);
        foreach (var (line, wanted) in errors.Zip(expected))
        {
            if (wanted.EndsWith('…'))
            {
                Assert.StartsWith(wanted[..^1], line, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(wanted, line);
            }

            Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Failed to convert", line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--Kestrel:Limits:MaxRequestBodySize=1024")]
    [InlineData("--hostBuilder:reloadConfigOnChange=false")]
    [InlineData("--AllowedHosts=*")]
    [InlineData("--urls=http://127.0.0.1:0")]
    [InlineData("--environment=Staging")]
    [InlineData("--contentRoot=.")]
    [InlineData("--shutdownTimeoutSeconds=5")]
    [InlineData("--Logging:LogLevel:Microsoft.AspNetCore=Debug")]
    [InlineData("--Logging:Format=Text")]
    [InlineData("--Logging:QueueBytes=1048576")]
    [InlineData("--Logging:Console:FormatterName=json")]
    [InlineData("--Logging:Console:LogLevel:Default=Debug")]
    [InlineData("--policy:dryrun=true")]
    [InlineData("--Policy:ServiceCallers:0:Principal=cluster.local/ns/x/sa/y")]
    [InlineData("--Policy:Kubernetes:PageSize=100")]
    [InlineData("--Identity:Issuers:0:Issuer=https://dex.example.com", "--Identity:Issuers:0:Audiences:0=kf", "--Identity:Issuers:0:RequireHttps=")]
    public void Build_HostOrOwnKey_IsAccepted(params string[] args)
    {
        var (app, errors) = ExtAuthzHost.Build(["--Server:GrpcPort=0", "--Server:HttpPort=0", .. args]);

        Assert.Empty(errors);
        Assert.NotNull(app);
    }

    /// <summary>Environment variables are shared with every program: only a key that is ours, or close to ours, is checked.</summary>
    [Theory]
    [InlineData("DevGateway:Port", "8100", null)]
    [InlineData("Serilog:MinimumLevel", "Debug", null)]
    [InlineData("PATH", "/usr/bin", null)]
    [InlineData("Polcy", "true", null)]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:1", null)]
    [InlineData("Polcy:DryRun", "true", "Polcy:DryRun: unknown section 'Polcy'; did you mean Policy:DryRun?")]
    [InlineData("Policy:DryRn", "true", "Policy:DryRn: unknown key 'DryRn'; did you mean Policy:DryRun?")]
    [InlineData("Server:GrpcPort", "abc", "Server:GrpcPort: 'abc' is not a whole number from -2147483648 to 2147483647")]
    public void CheckKeys_FromEnvironment_ChecksOnlyWhatIsOursOrCloseToIt(string key, string value, string? expected)
    {
        var errors = new List<string>();

        OptionsLoader.CheckKeys([new ConfigurationEntry(key, value, FromEnvironment: true)], _ => value, errors);

        Assert.Equal(expected is null ? [] : [expected], errors);
    }

    [Fact]
    public void CheckKeys_ValueOverriddenByALaterSource_IsNotChecked()
    {
        var errors = new List<string>();

        var refused = OptionsLoader.CheckKeys([new ConfigurationEntry("Server:GrpcPort", "abc", FromEnvironment: false)], _ => "9000", errors);

        Assert.Empty(errors);
        Assert.Empty(refused);
    }

    [Fact]
    public async Task Process_MisspeltEnvironmentSectionBesideAnotherProgramsSection_NamesOnlyTheMisspeltOne()
    {
        var (exitCode, lines) = await RefusedStart.RunAsync([], new Dictionary<string, string?>
        {
            ["Polcy__DryRun"] = "true",
            ["DevGateway__Port"] = "8100",
        });

        Assert.Equal(ExtAuthzHost.InvalidConfigurationExitCode, exitCode);
        Assert.Equal(["Invalid configuration:", "Polcy:DryRun: unknown section 'Polcy'; did you mean Policy:DryRun?"], lines);
    }
}
