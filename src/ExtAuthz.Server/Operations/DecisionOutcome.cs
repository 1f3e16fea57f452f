using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Server.Operations;

/// <summary>The <c>outcome</c> label: allow, deny, or dry_run (a would-be deny answered allow).</summary>
internal static class DecisionOutcome
{
    public const int Allow = 0;
    public const int Deny = 1;
    public const int DryRun = 2;

    public static readonly string[] Names = ["allow", "deny", "dry_run"];

    public static int Of(in Decision decision) => decision.DryRun ? DryRun : decision.Allowed ? Allow : Deny;
}
