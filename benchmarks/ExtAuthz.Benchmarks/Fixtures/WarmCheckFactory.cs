using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>
/// The warm hot path with the real parts: the development issuer's RS256 token validated once (so the token cache
/// holds it), and an access index of 10,000 profiles and 30,000 role bindings.
/// </summary>
internal static class WarmCheckFactory
{
    private static readonly Lazy<(IdentityRuntime Identity, AccessIndex Index, ExtAuthzOptions Options, HeaderSlots Slots)> s_parts = new(Build);

    public static WarmCheck Create(string method, string path, string? user)
    {
        var (identity, index, options, slots) = s_parts.Value;
        var token = user is null ? null : identity.DevIssuer!.Mint(user, ["kubeflow-users"], TimeSpan.FromHours(12));
        var warm = new WarmCheck(options, slots, identity.Authenticator, index, method, path, token);
        warm.Authorizer.Decide(warm.Input); // first sight: validates and caches the token
        return warm;
    }

    private static (IdentityRuntime, AccessIndex, ExtAuthzOptions, HeaderSlots) Build()
    {
        var options = new ExtAuthzOptions();
        options.Identity.DevIssuer.Enabled = true;
        options.ApplyDefaults();
        var slots = new HeaderSlots(IdentityRuntime.Sources(options).Select(s => s.HeaderName));
        var identity = IdentityRuntime.Create(options, TimeProvider.System, slots);
        var index = DecisionPipeline.CreateIndex(options.Policy, TimeProvider.System);
        index.ReplaceAll(SyntheticCluster.Profiles(10_000), SyntheticCluster.Bindings(10_000, 30_000), SyntheticCluster.Namespaces(10_000));
        return (identity, index, options, slots);
    }
}
