namespace ExtAuthz.Server.SelfService;

/// <summary>Log messages of the workspace API, with stable event ids (6000-6099). Never a token.</summary>
internal static partial class SelfServiceLog
{
    [LoggerMessage(6000, LogLevel.Information,
        "selfservice_change caller={Caller} via={Via} action={Action} namespace={Namespace} member={Member} role={Role} status={Status} outcome={Outcome}: {Detail}")]
    public static partial void Change(ILogger logger, string caller, string via, string action, string @namespace, string member, string role,
        int status, string outcome, string detail);

    [LoggerMessage(6001, LogLevel.Warning, "Workspace API: {Action} on {Namespace} written, but our index did not show it within {Timeout}")]
    public static partial void NotVisible(ILogger logger, string action, string @namespace, TimeSpan timeout);

    [LoggerMessage(6002, LogLevel.Information, "Workspace API on port {Port}, writing to {Target}; registration {Registration}")]
    public static partial void Serving(ILogger logger, int port, string target, string registration);
}
