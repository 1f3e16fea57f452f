namespace ExtAuthz.Server.Login;

/// <summary>
/// Login events (ids 600–699). Never a token, a code, a state, a cookie or a secret: the user, the reason code and
/// the flow's own detail text (which is built to be safe) only.
/// </summary>
internal static partial class LoginLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Login {Path}: {Status} {Reason} ({Detail}) user {User}")]
    public static partial void Answered(ILogger logger, string path, int status, string reason, string detail, string? user);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Login {Path}: {Status} {Reason} ({Detail})")]
    public static partial void Refused(ILogger logger, string path, int status, string reason, string detail);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Own login on: issuer {Issuer}, client {ClientId}, paths under {Prefix}, sessions in {Store}, key ring of {KeyCount} keys{Ephemeral}")]
    public static partial void Enabled(ILogger logger, string issuer, string clientId, string prefix, string store, int keyCount, string ephemeral);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Sessions of {User} ended after a user revocation: {Count} in the store")]
    public static partial void UserSessionsEnded(ILogger logger, string user, int count);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "Sessions of {User} not removed from the store ({Error}); the revocation still refuses them on every replica")]
    public static partial void UserSessionsNotEnded(ILogger logger, string user, string error);
}
