using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>
/// The warm hot path: the real access index (10,000 profiles, 30,000 role bindings) and a stand-in for a token
/// cache hit (this build has no JWT validation yet).
/// </summary>
internal static class WarmCheckFactory
{
    private static readonly Lazy<(KubeflowAccessPolicy Access, ExtAuthzOptions Options, HeaderSlots Slots)> s_parts = new(Build);

    public static WarmCheck Create(string method, string path, string? user)
    {
        var (access, options, slots) = s_parts.Value;
        var token = user is null ? null : Tokens.Placeholder;
        IAuthenticator authenticator = user is null
            ? NoIssuerAuthenticator.Instance
            : new StubAuthenticator(new Principal("urn:extauthz:dev", user, user, ["kubeflow-users"], DateTimeOffset.MaxValue));
        return new WarmCheck(options, slots, authenticator, access, method, path, token);
    }

    private static (KubeflowAccessPolicy, ExtAuthzOptions, HeaderSlots) Build()
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        var slots = new HeaderSlots(["authorization"]);
        var index = new AccessIndex(new RoleMap(), TimeProvider.System);
        index.ReplaceAll(SyntheticCluster.Profiles(10_000), SyntheticCluster.Bindings(10_000, 30_000));
        return (KubeflowAccessPolicy.Create(options.Policy, index), options, slots);
    }
}
