using ExtAuthz.Core.Access;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>Builds the Core orchestrator with test parts, and the inputs it decides on.</summary>
internal static class AuthorizerFactory
{
    public static Authorizer Create(IAuthenticator authenticator, IAccessPolicy? access = null, IRevocationList? revocations = null,
        DryRunPolicy? dryRun = null, string? loginUrl = null) =>
        new(PathPatternSet.Parse(["/dex/"]), authenticator, access ?? NoIndexAccessPolicy.Instance,
            new LoginRedirect(loginUrl, PathPatternSet.Parse(["/api/"])), revocations, dryRun);

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
