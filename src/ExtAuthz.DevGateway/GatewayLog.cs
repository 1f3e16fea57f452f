using Microsoft.Extensions.Logging;

namespace ExtAuthz.DevGateway;

/// <summary>The development gateway's log lines.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Warning, "ExtAuthz development gateway on http://127.0.0.1:{Port}/ → Check at {CheckAddress} → upstream {Upstream}. FOR DEVELOPMENT AND TESTS ONLY, NOT FOR PRODUCTION.")]
    public static partial void Started(ILogger logger, int port, string checkAddress, string upstream);

    [LoggerMessage(2, LogLevel.Information, "{Method} {Path}: allowed, forwarded")]
    public static partial void Allowed(ILogger logger, string method, string path);

    [LoggerMessage(3, LogLevel.Information, "{Method} {Path}: denied {Status}")]
    public static partial void Denied(ILogger logger, string method, string path, int status);

    [LoggerMessage(4, LogLevel.Warning, "{Method} {Path}: Check failed ({Detail}), answering {Status}")]
    public static partial void CheckFailed(ILogger logger, string method, string path, string detail, int status);

    [LoggerMessage(5, LogLevel.Warning, "{Method} {Path}: upstream failed ({Error})")]
    public static partial void UpstreamFailed(ILogger logger, string method, string path, string error);
}
