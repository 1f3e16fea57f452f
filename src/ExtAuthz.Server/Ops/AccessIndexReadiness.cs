using ExtAuthz.Core.Access;

namespace ExtAuthz.Server.Ops;

/// <summary>The access index gates readiness: until it has loaded, every protected request would be 403.</summary>
internal sealed class AccessIndexReadiness : IReadinessContributor
{
    private readonly IAccessPolicy _policy;

    public AccessIndexReadiness(IAccessPolicy policy) => _policy = policy;

    public string Name => "index";

    public bool Gates => true;

    public bool IsReady => _policy.IsLoaded;

    public object Describe() => _policy is IDescribable describable ? describable.Describe() : new { loaded = _policy.IsLoaded };
}
