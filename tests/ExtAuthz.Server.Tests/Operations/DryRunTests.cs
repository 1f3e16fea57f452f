using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Tests.Operations.Support;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>Dry-run answers allow, keeps the deny's reason for the record, and sets identity headers only from a valid token.</summary>
public sealed class DryRunTests
{
    private static readonly FakeAuthenticator Authenticator =
        new FakeAuthenticator().Add("alice-token", FakeAuthenticator.User("alice@example.com", TimeSpan.FromMinutes(1)));

    [Fact]
    public async Task Check_GlobalDryRunWithoutToken_AllowsStrippingIdentityAndRecordsWouldBeDeny()
    {
        await using var server = await OpsServer.StartAsync(Authenticator, "--Policy:DryRun=true");

        var response = await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", headers: [("kubeflow-userid", "mallory@example.com")]);

        Assert.Equal(0, response.Status.Code);
        Assert.NotNull(response.OkResponse);
        Assert.Empty(response.OkResponse.Headers);
        Assert.Contains("kubeflow-userid", response.OkResponse.HeadersToRemove);
        Assert.True(response.DynamicMetadata.Fields["dry_run"].BoolValue);
        Assert.Equal("missing_token", response.DynamicMetadata.Fields["reason"].StringValue);
        var line = await server.Audit.WaitForLineAsync(_ => true);
        Assert.Contains("\"decision\":\"dry_run\"", line, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"missing_token\"", line, StringComparison.Ordinal);
        var scrape = await server.ScrapeAsync();
        Assert.Equal(1, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"dry_run\",reason=\"missing_token\"}"));
        Assert.Equal(0, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"deny\",reason=\"missing_token\"}"));
    }

    [Fact]
    public async Task Check_GlobalDryRunValidTokenWithoutGrant_AllowsWithIdentityHeaders()
    {
        await using var server = await OpsServer.StartAsync(Authenticator, "--Policy:DryRun=true");

        var response = await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "alice-token");

        Assert.NotNull(response.OkResponse);
        var userId = Assert.Single(response.OkResponse.Headers, h => h.Header.Key == "kubeflow-userid");
        Assert.Equal("alice@example.com", userId.Header.Value);
        Assert.Equal("no_access", response.DynamicMetadata.Fields["reason"].StringValue);
        Assert.True(response.DynamicMetadata.Fields["dry_run"].BoolValue);
        var scrape = await server.ScrapeAsync();
        Assert.Equal(1, Scrape.Value(scrape, "extauthz_decisions_total{outcome=\"dry_run\",reason=\"no_access\"}"));
    }

    [Fact]
    public async Task Check_DryRunOff_Denies()
    {
        await using var server = await OpsServer.StartAsync(Authenticator);

        var response = await server.CheckAsync("/notebook/kubeflow-user-example-com/nb/", "alice-token");

        Assert.Equal(403, (int)response.DeniedResponse.Status.Code);
        Assert.Equal("no_access", response.DynamicMetadata.Fields["reason"].StringValue);
        Assert.False(response.DynamicMetadata.Fields.ContainsKey("dry_run"));
    }

    [Theory]
    [InlineData("/notebook/trial/nb/", "alice-token", true, true)]
    [InlineData("/notebook/prod/nb/", "alice-token", false, false)]
    [InlineData("/notebook/trial/nb/", null, false, false)]
    public void Decide_PerProfileDryRun_AllowsOnlyInThatProfile(string path, string? token, bool allowed, bool dryRun)
    {
        var authorizer = AuthorizerFactory.Create(Authenticator);

        var decision = authorizer.Decide(AuthorizerFactory.Input(path, token));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(dryRun, decision.DryRun);
        Assert.Equal(token is null ? ReasonCode.MissingToken : ReasonCode.NoAccess, decision.Reason);
        Assert.Equal(allowed ? 200 : decision.Reason.IsUnauthenticated() ? 401 : 403, decision.HttpStatus);
    }

    [Fact]
    public void Decide_PerProfileDryRun_KeepsPrincipalAndNamespace()
    {
        var authorizer = AuthorizerFactory.Create(Authenticator);

        var decision = authorizer.Decide(AuthorizerFactory.Input("/notebook/trial/nb/", "alice-token"));

        Assert.Equal("alice@example.com", decision.Principal?.UserId);
        Assert.Equal("trial", decision.Namespace);
    }

    [Fact]
    public void Decide_GlobalDryRunBrowserWithoutToken_AllowsInsteadOfRedirecting()
    {
        var authorizer = AuthorizerFactory.Create(Authenticator, dryRun: true, loginUrl: "/oauth2/start");

        var decision = authorizer.Decide(AuthorizerFactory.Input("/notebook/alice/nb/", browser: true));

        Assert.True(decision.Allowed);
        Assert.True(decision.DryRun);
        Assert.Null(decision.RedirectLocation);
        Assert.Null(decision.Principal);
    }

    [Fact]
    public void Decide_GlobalDryRunRevokedToken_AllowsWithoutPrincipal()
    {
        var revocations = new RevocationSet();
        revocations.Add(Revocations.ForUser("alice@example.com", DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
        var authorizer = AuthorizerFactory.Create(Authenticator, revocations: revocations, dryRun: true);

        var decision = authorizer.Decide(AuthorizerFactory.Input("/notebook/alice/nb/", "alice-token"));

        Assert.True(decision.Allowed);
        Assert.Equal(ReasonCode.TokenRevoked, decision.Reason);
        Assert.Null(decision.Principal);
    }
}
