using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>
/// Builds the real decision pipeline with a test authenticator over a small index: profiles <c>trial</c> (annotated
/// dry-run) and <c>prod</c>, both owned by someone the tests never sign in as; and the inputs it decides on.
/// </summary>
internal static class AuthorizerFactory
{
    public static Authorizer Create(IAuthenticator authenticator, IRevocationList? revocations = null, bool dryRun = false,
        string? loginUrl = null, bool indexLoaded = true)
    {
        var options = new ExtAuthzOptions();
        options.Policy.DryRun = dryRun;
        options.Login.Url = loginUrl;
        options.ApplyDefaults();
        var index = DecisionPipeline.CreateIndex(options.Policy, TimeProvider.System);
        if (indexLoaded)
        {
            index.ReplaceAll(
            [
                new ProfileRecord("trial", new SubjectRecord(SubjectRecord.User, "owner@example.com"), DryRun: true),
                new ProfileRecord("prod", new SubjectRecord(SubjectRecord.User, "owner@example.com")),
            ], [], [new NamespaceRecord("trial", "owner@example.com"), new NamespaceRecord("prod", "owner@example.com")]);
        }

        return DecisionPipeline.Build(options, authenticator, index, revocations).Authorizer;
    }

    public static CheckInput Input(string path, string? token = null, bool browser = false)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = path, Host = "kubeflow.example.com" };
        if (token is not null)
        {
            input.AddHeader(HeaderSlots.Authorization, $"Bearer {token}");
        }

        if (browser)
        {
            input.AddHeader(HeaderSlots.SecFetchMode, "navigate");
        }

        return input;
    }
}
