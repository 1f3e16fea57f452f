using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Identity;

/// <summary>
/// One issuer's key-set state on <c>/readyz</c>, as information only: a provider that is down must not take the
/// service out of rotation, since tokens under its known keys keep working.
/// </summary>
internal sealed class KeySetReadiness : IReadinessContributor
{
    private readonly IssuerKeys _keys;

    public KeySetReadiness(IssuerKeys keys) => _keys = keys;

    public string Name => "keys " + _keys.Issuer;

    public bool Gates => false;

    public bool IsReady => _keys.Current is not null;

    public object Describe() => _keys.Status();
}
