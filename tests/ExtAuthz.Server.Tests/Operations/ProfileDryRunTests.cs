using ExtAuthz.Server.Tests.Operations.Support;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>
/// Per-profile dry-run through the real directory index: a Profile annotated <c>extauthz/dry-run: "true"</c> answers
/// allow and records the would-be deny; its neighbour without the annotation still denies.
/// </summary>
public sealed class ProfileDryRunTests : IAsyncLifetime
{
    private const string Profiles = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: kubeflow.org/v1
          kind: Profile
          metadata:
            name: trial
            annotations:
              extauthz/dry-run: "true"
          spec:
            owner:
              kind: User
              name: owner@example.com
        - apiVersion: kubeflow.org/v1
          kind: Profile
          metadata:
            name: prod
          spec:
            owner:
              kind: User
              name: owner@example.com
        - apiVersion: v1
          kind: Namespace
          metadata:
            annotations:
              owner: owner@example.com
            name: trial
        - apiVersion: v1
          kind: Namespace
          metadata:
            annotations:
              owner: owner@example.com
            name: prod
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("extauthz-dryrun-").FullName;
    private OpsServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "profiles.yaml"), Profiles);
        var authenticator = new FakeAuthenticator().Add("alice-token", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(1)));
        _server = await OpsServer.StartAsync(authenticator, $"--Policy:Directory={_directory}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await _server.Server.Http.GetAsync("/readyz")).IsSuccessStatusCode && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Check_AnnotatedProfileWithoutGrant_AllowsAndRecordsWouldBeDeny()
    {
        var response = await _server.CheckAsync("/notebook/trial/nb/", "alice-token");

        Assert.NotNull(response.OkResponse);
        Assert.Equal("alice@example.com", Assert.Single(response.OkResponse.Headers, h => h.Header.Key == "kubeflow-userid").Header.Value);
        Assert.True(response.DynamicMetadata.Fields["dry_run"].BoolValue);
        Assert.Equal("no_access", response.DynamicMetadata.Fields["reason"].StringValue);
        var line = await _server.Audit.WaitForLineAsync(l => l.Contains("\"namespace\":\"trial\"", StringComparison.Ordinal));
        Assert.Contains("\"decision\":\"dry_run\"", line, StringComparison.Ordinal);
        Assert.Equal(1, Scrape.Value(await _server.ScrapeAsync(), "extauthz_decisions_total{outcome=\"dry_run\",reason=\"no_access\"}"));
    }

    [Fact]
    public async Task Check_ProfileWithoutAnnotation_Denies()
    {
        var response = await _server.CheckAsync("/notebook/prod/nb/", "alice-token");

        Assert.NotNull(response.DeniedResponse);
        Assert.Equal(403, (int)response.DeniedResponse.Status.Code);
        Assert.Equal(1, Scrape.Value(await _server.ScrapeAsync(), "extauthz_decisions_total{outcome=\"deny\",reason=\"no_access\"}"));
    }

    [Fact]
    public async Task Scrape_IndexLoaded_ReportsIndexSize()
    {
        var scrape = await _server.ScrapeAsync();

        Assert.Equal(2, Scrape.Value(scrape, "extauthz_index_profiles"));
        Assert.Equal(0, Scrape.Value(scrape, "extauthz_index_rolebindings"));
        Assert.True(Scrape.Value(scrape, "extauthz_index_age_seconds") >= 0);
    }
}
