using ExtAuthz.Server.Hosting;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>Every key of the operations area is checked at start; each bad value is one line naming the key.</summary>
public sealed class OperationsConfigTests
{
    public static TheoryData<string[], string> Invalid => new()
    {
        { ["--Audit:AllowSampleRate=1.5"], "Audit:AllowSampleRate: 1.5 must be between 0 and 1" },
        { ["--Audit:AllowSampleRate=-0.1"], "Audit:AllowSampleRate: -0.1 must be between 0 and 1" },
        { ["--Audit:AllowSampleRate=NaN"], "Audit:AllowSampleRate: NaN must be between 0 and 1" },
        { ["--Audit:Output=file"], "Audit:Output: 'file' is not one of stdout, stderr, none" },
        { ["--Audit:QueueCapacity=1"], "Audit:QueueCapacity: must be between 16 and 1048576" },
        { ["--Audit:RepeatWindow=-00:00:01"], "Audit:RepeatWindow: -00:00:01 must be between 00:00:00 (no folding) and 00:10:00" },
        { ["--Audit:RepeatWindow=01:00:00"], "Audit:RepeatWindow: 01:00:00 must be between 00:00:00 (no folding) and 00:10:00" },
        { ["--Revocation:MaxTokenLifetime=00:00:10"], "Revocation:MaxTokenLifetime: must be between 00:01:00 and 30.00:00:00" },
        { ["--Revocation:MaxTokenLifetime=31.00:00:00"], "Revocation:MaxTokenLifetime: must be between 00:01:00 and 30.00:00:00" },
        { ["--Revocation:Bogus=1"], "Revocation:Bogus: unknown key 'Bogus'" },
        { ["--Redis:Configuration= "], "Redis:Configuration: must not be blank (leave it unset for a single replica)" },
        { ["--Redis:Channel=a b"], "Redis:Channel: 'a b' must be a non-empty name without spaces" },
        { ["--Redis:Key="], "Redis:Key: '' must be a non-empty name without spaces" },
        { ["--Redis:ResyncInterval=00:00:00.500"], "Redis:ResyncInterval: must be at least 00:00:01" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Build_InvalidOperationsKey_ListsIt(string[] args, string expected)
    {
        var (app, errors) = ExtAuthzHost.Build(args);

        Assert.Null(app);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_SeveralBadOperationsKeys_ListsEveryOne()
    {
        var (app, errors) = ExtAuthzHost.Build(["--Audit:Output=file", "--Redis:Channel= ", "--Revocation:MaxTokenLifetime=00:00:01"]);

        Assert.Null(app);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Build_OperationsKeysValid_Builds()
    {
        var (app, errors) = ExtAuthzHost.Build(["--Server:GrpcPort=0", "--Server:HttpPort=0", "--Audit:Output=stderr",
            "--Audit:AllowSampleRate=1", "--Revocation:MaxTokenLifetime=12:00:00", "--Redis:Channel=kf:revocations"]);

        Assert.Empty(errors);
        Assert.NotNull(app);
    }
}
