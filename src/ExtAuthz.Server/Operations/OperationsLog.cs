namespace ExtAuthz.Server.Operations;

/// <summary>Log messages of the operations area, with stable event ids (5000-5099). Never a token.</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(5000, LogLevel.Error, "Writing the decision log failed; lines were lost")]
    public static partial void AuditWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(5001, LogLevel.Warning, "Revocation: {Kind} {Subject} revoked by {Admin}, kept until {ExpiresAt:u}")]
    public static partial void Revoked(ILogger logger, string kind, string subject, string admin, DateTimeOffset expiresAt);

    [LoggerMessage(5002, LogLevel.Warning, "Revocation endpoint refused a caller: {Reason}")]
    public static partial void RevocationRefused(ILogger logger, string reason);

    [LoggerMessage(5003, LogLevel.Information, "Expired revocations dropped: {Count}")]
    public static partial void RevocationsPruned(ILogger logger, int count);

    [LoggerMessage(5004, LogLevel.Warning, "A Check frame is not a CheckRequest ({Problem}); answered INVALID_ARGUMENT. Repeats are counted for {Window}")]
    public static partial void MalformedRequest(ILogger logger, string problem, TimeSpan window);

    [LoggerMessage(5005, LogLevel.Warning, "{Count} more Check frames were not a CheckRequest since {Since:o}; answered INVALID_ARGUMENT")]
    public static partial void MalformedRequestsRepeated(ILogger logger, long count, DateTimeOffset since);

    [LoggerMessage(5006, LogLevel.Error, "A Check failed outside every answer it can give; answered UNKNOWN")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
