using ExtAuthz.Core.Access;

namespace ExtAuthz.Core.Decisions;

/// <summary>
/// Dry-run (DESIGN §3): globally (<c>Policy:DryRun</c>) or for a profile namespace that asks for it, a deny is
/// answered allow, while the decision keeps the deny's reason so the log and the metrics record a would-be deny.
/// The one place dry-run is decided: the access policy and the rest of the pipeline only ever produce real decisions.
/// </summary>
public sealed class DryRunPolicy
{
    private readonly bool _global;
    private readonly Func<string, bool>? _perProfile;

    /// <param name="global">Policy:DryRun.</param>
    /// <param name="perProfile">True for a profile namespace annotated <c>extauthz/dry-run: "true"</c>.</param>
    public DryRunPolicy(bool global, Func<string, bool>? perProfile = null)
    {
        _global = global;
        _perProfile = perProfile;
    }

    public static DryRunPolicy Off { get; } = new(false);

    /// <summary>Global <paramref name="global"/>, or per Profile as the current snapshot of <paramref name="index"/> says.</summary>
    public static DryRunPolicy For(bool global, AccessIndex index) =>
        new(global, ns => index.Current?.Find(ns)?.DryRun == true);

    /// <summary>True when denies naming <paramref name="ns"/> are answered allow.</summary>
    public bool AppliesTo(string? ns) => _global || (ns is not null && _perProfile is not null && _perProfile(ns));

    /// <summary>The answer to give for <paramref name="decision"/>: itself, or for a deny under dry-run an allow.</summary>
    public Decision Apply(in Decision decision)
    {
        if (decision.Allowed || !AppliesTo(decision.Namespace))
        {
            return decision;
        }

        // Identity headers are set only from a valid token: a 401 (missing, bad, expired or revoked token) strips them.
        return decision with
        {
            Allowed = true,
            HttpStatus = 200,
            DryRun = true,
            RedirectLocation = null,
            Principal = decision.Reason.IsUnauthenticated() ? null : decision.Principal,
        };
    }
}
