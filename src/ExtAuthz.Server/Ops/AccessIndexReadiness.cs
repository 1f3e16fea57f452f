using ExtAuthz.Core.Access;

namespace ExtAuthz.Server.Ops;

/// <summary>
/// The access index gates readiness: until it has loaded, every protected request would be 403. Each publication of
/// the index is a possible change, signalled to <see cref="ReadinessState"/>.
/// </summary>
internal sealed class AccessIndexReadiness : IReadinessContributor, IReadinessSignal
{
    private readonly IAccessPolicy _policy;

    public AccessIndexReadiness(IAccessPolicy policy, AccessIndex index)
    {
        _policy = policy;
        index.Published += _ => Changed?.Invoke();
    }

    public event Action? Changed;

    public string Name => "index";

    public bool Gates => true;

    public bool IsReady => _policy.IsLoaded;

    public object Describe() => _policy is IDescribable describable ? describable.Describe() : new { loaded = _policy.IsLoaded };
}
