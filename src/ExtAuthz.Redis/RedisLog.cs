using Microsoft.Extensions.Logging;

namespace ExtAuthz.Redis;

/// <summary>Log messages of the Redis link, with stable event ids (5100-5199).</summary>
internal static partial class RedisLog
{
    [LoggerMessage(5100, LogLevel.Information, "Redis connected ({Endpoint}); revocations are shared with the other replicas")]
    public static partial void Connected(ILogger logger, string endpoint);

    [LoggerMessage(5101, LogLevel.Warning, "Redis connection lost ({Endpoint}, {FailureType}); serving from the local revocation set")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string failureType);

    /// <remarks>The reason only, not the exception: a connection failure is an expected state, not a bug to trace.</remarks>
    [LoggerMessage(5102, LogLevel.Warning, "Redis unavailable ({Reason}); {Pending} revocation(s) will be sent when it returns")]
    public static partial void SyncFailed(ILogger logger, int pending, string reason);

    [LoggerMessage(5103, LogLevel.Information, "Revocations reconciled with Redis: {Received} received, {Stored} stored, {Expired} expired")]
    public static partial void Reconciled(ILogger logger, int received, int stored, int expired);

    [LoggerMessage(5104, LogLevel.Warning, "Ignored a message on the revocation channel that is not a revocation")]
    public static partial void StrayMessage(ILogger logger);

    [LoggerMessage(5105, LogLevel.Warning, "Redis connection of the login stores lost ({Endpoint}, {FailureType}); warm sessions keep working, new logins get 503 until it returns")]
    public static partial void StoreConnectionLost(ILogger logger, string endpoint, string failureType);

    [LoggerMessage(5106, LogLevel.Information, "Redis connection of the login stores restored ({Endpoint})")]
    public static partial void StoreConnectionRestored(ILogger logger, string endpoint);
}
