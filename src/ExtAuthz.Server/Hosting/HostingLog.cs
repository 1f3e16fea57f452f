namespace ExtAuthz.Server.Hosting;

/// <summary>Log messages of the host itself: what a start-up needs an operator to notice (event ids 6000-6099).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(6000, LogLevel.Warning, "{Warning}")]
    public static partial void StartWarning(ILogger logger, string warning);

    [LoggerMessage(6001, LogLevel.Information, "Warm-up: {Checks} synthetic Checks ran through the reader, the decision and the writer, in process and over gRPC, in {Elapsed}; ready")]
    public static partial void WarmedUp(ILogger logger, int checks, TimeSpan elapsed);

    [LoggerMessage(6002, LogLevel.Error, "Warm-up failed; ready without it")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception);
}
