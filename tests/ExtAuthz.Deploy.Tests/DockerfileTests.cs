namespace ExtAuthz.Deploy.Tests;

public sealed class DockerfileTests
{
    private const string PublishCommand =
        "dotnet publish src/ExtAuthz.Server/ExtAuthz.Server.csproj -c Release -o /app/publish";

    private static Dockerfile Load() => Dockerfile.Load("Dockerfile");

    [Fact]
    public void Stages_Images_BuildWithSdkAndRunChiseledByDefault()
    {
        var dockerfile = Load();

        Assert.Equal(2, dockerfile.Stages.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", dockerfile.Stages[0].Image);
        Assert.Equal("${RUNTIME_IMAGE}", dockerfile.Final.Image);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", dockerfile.GlobalArgs["RUNTIME_IMAGE"]);
    }

    [Fact]
    public void FinalStage_Chiseled_NeedsNoShell()
    {
        var final = Load().Final;

        // A chiseled image has no /bin/sh: RUN, and the shell form of ENTRYPOINT or CMD, would fail.
        Assert.Empty(final.Arguments("RUN"));
        Assert.NotEmpty(final.Arguments("ENTRYPOINT"));
        Assert.All(final.Arguments("ENTRYPOINT").Concat(final.Arguments("CMD")), a => Assert.StartsWith("[", a, StringComparison.Ordinal));
    }

    [Fact]
    public void BuildStage_Run_UsesThePublishCommand()
    {
        var build = Load().Stages[0];

        Assert.Contains(PublishCommand, build.Arguments("RUN"));
    }

    [Fact]
    public void FinalStage_User_IsNotRoot()
    {
        var user = Assert.Single(Load().Final.Arguments("USER"));

        Assert.Contains(user, new[] { "$APP_UID", "${APP_UID}", "app" });
    }

    [Fact]
    public void FinalStage_User_ComesAfterEveryCopy()
    {
        var instructions = Load().Final.Instructions.Select(i => i.Keyword).ToList();

        Assert.True(instructions.LastIndexOf("COPY") < instructions.IndexOf("USER"), "files copied after USER would be owned by a different step");
    }

    [Fact]
    public void FinalStage_Expose_ListsGrpcAndOpsPorts()
    {
        var ports = Load().Final.Arguments("EXPOSE").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(["8080", "9000"], ports.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FinalStage_Layout_RunsThePublishedServerBesideTheSamples()
    {
        var final = Load().Final;

        Assert.Equal("/app", final.Arguments("WORKDIR").Last());
        Assert.Contains("--from=build /app/publish ./", final.Arguments("COPY"));
        Assert.Contains("samples/ samples/", final.Arguments("COPY"));
        Assert.Equal("[\"dotnet\", \"ExtAuthz.Server.dll\"]", Assert.Single(final.Arguments("ENTRYPOINT")));
    }

    [Theory]
    [InlineData("**/bin/")]
    [InlineData("**/obj/")]
    [InlineData(".git/")]
    public void DockerIgnore_BuildOutputs_AreExcluded(string pattern)
    {
        var lines = File.ReadAllLines(RepoRoot.Combine(".dockerignore")).Select(l => l.Trim());

        Assert.Contains(pattern, lines);
    }

    [Theory]
    [InlineData("src")]
    [InlineData("protos")]
    [InlineData("samples")]
    public void DockerIgnore_BuildInputs_AreKept(string folder)
    {
        var lines = File.ReadAllLines(RepoRoot.Combine(".dockerignore")).Select(l => l.Trim().TrimEnd('/'));

        Assert.DoesNotContain(folder, lines);
    }
}
