using Microsoft.Extensions.Logging;

namespace ExtAuthz.Controller;

/// <summary>Log messages of the Profile controller (event ids 5000–5099); names of objects only, never credentials.</summary>
internal static partial class ControllerLog
{
    [LoggerMessage(5001, LogLevel.Information, "Profile {Profile}: {Writes} writes, {Outcome}")]
    public static partial void Reconciled(ILogger logger, string profile, int writes, string outcome);

    [LoggerMessage(5002, LogLevel.Warning, "Profile {Profile}: {Reason}: {Message}")]
    public static partial void NotReady(ILogger logger, string profile, string reason, string message);

    [LoggerMessage(5003, LogLevel.Warning, "Profile {Profile}: reconcile failed, retry {Failures} in {Delay}: {Message}")]
    public static partial void Retrying(ILogger logger, string profile, int failures, TimeSpan delay, string message);

    [LoggerMessage(5004, LogLevel.Information, "Profile {Profile} deleted: plugins revoked ({Outcome}), finalizer removed")]
    public static partial void Finalized(ILogger logger, string profile, string outcome);

    [LoggerMessage(5005, LogLevel.Warning, "Could not record an event for Profile {Profile}: {Message}")]
    public static partial void EventFailed(ILogger logger, string profile, string message);

    [LoggerMessage(5010, LogLevel.Information, "Leadership: {Identity} started leading; reconciling")]
    public static partial void StartedLeading(ILogger logger, string identity);

    [LoggerMessage(5011, LogLevel.Warning, "Leadership: {Identity} lost the lease; reconciling stopped")]
    public static partial void StoppedLeading(ILogger logger, string identity);

    [LoggerMessage(5014, LogLevel.Information, "Leadership: {Identity} released the lease on shutdown")]
    public static partial void LeaseReleased(ILogger logger, string identity);

    [LoggerMessage(5015, LogLevel.Warning, "Leadership: {Identity} could not release the lease on shutdown ({Message}); a standby takes over when it expires")]
    public static partial void LeaseReleaseFailed(ILogger logger, string identity, string message);

    [LoggerMessage(5012, LogLevel.Information, "Leadership: the leader is now {Leader}")]
    public static partial void NewLeader(ILogger logger, string leader);

    [LoggerMessage(5013, LogLevel.Warning, "Leadership: lease error: {Message}")]
    public static partial void LeaseError(ILogger logger, string message);

    [LoggerMessage(5020, LogLevel.Information, "Namespace labels changed; every Profile queued")]
    public static partial void LabelsChanged(ILogger logger);

    [LoggerMessage(5021, LogLevel.Critical, "Configuration problem: {Problem}")]
    public static partial void ConfigurationProblem(ILogger logger, string problem);

    [LoggerMessage(5022, LogLevel.Error, "Profile {Profile}: unexpected failure: {Message}")]
    public static partial void Unexpected(ILogger logger, string profile, string message);
}
