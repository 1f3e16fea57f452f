using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using ExtAuthz.Core.Paths;

namespace ExtAuthz.Core.Decisions;

/// <summary>
/// The decision pipeline of DESIGN §2, built one way from validated options: public and probe paths, the
/// authenticator, the revocation list, the Kubeflow access policy over an index, the login redirect and dry-run. The
/// host, the golden table, the benchmarks and the tests all build it here, so none of them can wire it differently.
/// </summary>
public sealed class DecisionPipeline
{
    private DecisionPipeline(Authorizer authorizer, KubeflowAccessPolicy access)
    {
        Authorizer = authorizer;
        Access = access;
    }

    public Authorizer Authorizer { get; }

    public KubeflowAccessPolicy Access { get; }

    public DryRunPolicy DryRun => Authorizer.DryRun;

    /// <summary>
    /// The pipeline of <paramref name="options"/> (defaults applied, validated) deciding against <paramref name="index"/>.
    /// </summary>
    public static DecisionPipeline Build(ExtAuthzOptions options, IAuthenticator authenticator, AccessIndex index,
        IRevocationList? revocations = null)
    {
        var policy = options.Policy;
        var access = KubeflowAccessPolicy.Create(policy, index);
        var login = options.Login;
        var ownLogin = login.IsOidcEnabled();
        var authorizer = new Authorizer(
            PathPatternSet.Parse(policy.PublicPaths),
            ownLogin ? new SessionAuthenticator(authenticator) : authenticator,
            access,
            new LoginRedirect(ownLogin ? login.PathPrefix + "/start" : login.Url, PathPatternSet.Parse(login.ApiPaths)),
            revocations,
            DryRunPolicy.For(policy.DryRun, index),
            new WorkloadProbes(PathPatternSet.Parse(policy.ProbePaths), policy.GatewayPrincipals),
            ownLogin ? login.PathPrefix : null);
        return new DecisionPipeline(authorizer, access);
    }

    /// <summary>An empty index whose roles are the configured ClusterRoles; sources fill it.</summary>
    public static AccessIndex CreateIndex(PolicyOptions policy, TimeProvider time) =>
        new(new RoleMap(policy.Roles.Admin, policy.Roles.Edit, policy.Roles.View), time);
}
