using ExtAuthz.Testing;
using CliMain = ExtAuthz.Cli.Cli;

namespace ExtAuthz.Server.Tests.Cli;

/// <summary>
/// <c>check --explain</c> says why a deny happened where the reason code alone cannot: a Profile its Namespace did not
/// adopt, and an id that differs from a granted one only in case. The deny's body keeps only the reason code.
/// </summary>
public sealed class CheckExplainTests : IAsyncLifetime
{
    private const string Cluster = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: kubeflow.org/v1
          kind: Profile
          metadata:
            name: alice
          spec:
            owner:
              kind: User
              name: alice@example.com
        - apiVersion: kubeflow.org/v1
          kind: Profile
          metadata:
            name: kubeflow
          spec:
            owner:
              kind: User
              name: trudy@example.com
        - apiVersion: v1
          kind: Namespace
          metadata:
            annotations:
              owner: alice@example.com
            name: alice
        - apiVersion: v1
          kind: Namespace
          metadata:
            labels:
              control-plane: kubeflow
              kubernetes.io/metadata.name: kubeflow
            name: kubeflow
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("extauthz-explain-").FullName;
    private ServerInstance _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "cluster.yaml"), Cluster);
        _server = await ServerInstance.StartAsync([$"--Policy:Directory={_directory}", "--Identity:DevIssuer:Enabled=true"]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("trudy@example.com", "/notebook/kubeflow/nb/", "detail    profile kubeflow is not adopted: namespace kubeflow has no owner annotation (the profile names 'trudy@example.com')")]
    [InlineData("ALICE@example.com", "/notebook/alice/nb/", "a grant exists for alice@example.com, which differs only in case")]
    [InlineData("mallory@example.com", "/notebook/alice/nb/", "detail    the user has no grant in the namespace\n")]
    public async Task Check_Explain_NamesWhyTheDenyHappened(string user, string path, string expected)
    {
        var (exit, output, error) = await RunAsync("check", "--addr", $"http://127.0.0.1:{_server.GrpcPort}", "--ops", $"http://127.0.0.1:{_server.HttpPort}",
            "--user", user, "--path", path, "--explain");

        Assert.True(exit == CliMain.Denied, error + output);
        Assert.StartsWith("DENY  403  no_access", output, StringComparison.Ordinal);
        Assert.Contains(expected, output + "\n", StringComparison.Ordinal);
        Assert.Contains("body    {\"error\":\"forbidden\",\"reason\":\"no_access\"}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Explain_OwnerOfTheAdoptedProfileIsAllowed()
    {
        var (exit, output, _) = await RunAsync("check", "--addr", $"http://127.0.0.1:{_server.GrpcPort}", "--ops", $"http://127.0.0.1:{_server.HttpPort}",
            "--user", "alice@example.com", "--path", "/notebook/alice/nb/", "--explain");

        Assert.Equal(CliMain.Allowed, exit);
        Assert.Contains("detail    owner of profile alice", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliMain.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
