namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// How one reconcile ended, as the <c>Ready</c> condition will say it. <see cref="Retry"/> failures go back to the
/// queue with backoff (the API server or a cloud may recover); the others wait for the Profile or the cluster to change.
/// </summary>
internal sealed record Outcome(bool Ready, string Reason, string Message, bool Retry)
{
    public static readonly Outcome Done = new(true, Reasons.Ready, "the workspace matches the Profile", false);

    public static Outcome Blocked(string reason, string message) => new(false, reason, message, false);

    public static Outcome Failing(string reason, string message) => new(false, reason, message, true);
}

/// <summary>The reasons a Profile's conditions carry.</summary>
internal static class Reasons
{
    public const string Ready = "WorkspaceReady";
    public const string NamespaceOwnedByOther = "NamespaceOwnedByOther";
    public const string NamespaceReserved = "NamespaceReserved";
    public const string NamespaceTerminating = "NamespaceTerminating";
    public const string OwnerInvalid = "OwnerInvalid";
    public const string QuotaInvalid = "QuotaInvalid";
    public const string PluginFailed = "PluginFailed";
    public const string PluginInvalid = "PluginInvalid";
    public const string UnknownPlugin = "UnknownPlugin";
    public const string ApiError = "ApiError";
    public const string Revoked = "PluginsRevoked";
    public const string RevokeFailed = "PluginRevokeFailed";
    public const string RevokeAbandoned = "PluginRevokeAbandoned";
}
