using Microsoft.Extensions.Logging;

namespace ExtAuthz.Kubernetes;

/// <summary>Log messages of the index sources (event ids 3000–3099); never a token, only object names.</summary>
internal static partial class IndexSourceLog
{
    [LoggerMessage(3001, LogLevel.Information, "Access index read from {Folder}: {Files} files, {Profiles} Profiles, {RoleBindings} RoleBindings, {Namespaces} Namespaces")]
    public static partial void DirectoryLoaded(ILogger logger, string folder, int files, int profiles, int roleBindings, int namespaces);

    [LoggerMessage(3002, LogLevel.Error, "Access index folder {Folder} has a problem: {Problem}")]
    public static partial void DirectoryProblem(ILogger logger, string folder, string problem);

    [LoggerMessage(3003, LogLevel.Warning, "Access index folder {Folder} not applied ({Count} problems); {Kept}")]
    public static partial void DirectoryNotApplied(ILogger logger, string folder, int count, string kept);

    [LoggerMessage(3004, LogLevel.Warning, "Could not watch {Folder} for changes; polling only: {Message}")]
    public static partial void DirectoryWatchFailed(ILogger logger, string folder, string message);

    [LoggerMessage(3005, LogLevel.Warning, "{Count} Profiles are not adopted by their Namespace and grant nothing; first: {First}")]
    public static partial void Unadopted(ILogger logger, int count, string first);

    [LoggerMessage(3010, LogLevel.Information, "Listed {Resource}: {Count} objects in {Pages} pages at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, int pages, string resourceVersion);

    [LoggerMessage(3011, LogLevel.Information, "Watch of {Resource} expired at resourceVersion {ResourceVersion} (410 Gone); relisting")]
    public static partial void Gone(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(3012, LogLevel.Warning, "{Resource}: {Operation} failed ({Failures} in a row), retrying in {Delay}: {Message}")]
    public static partial void Failed(ILogger logger, string resource, string operation, int failures, TimeSpan delay, string message);

    [LoggerMessage(3013, LogLevel.Warning, "{Resource}: skipped malformed object {Key}: {Problem}")]
    public static partial void Malformed(ILogger logger, string resource, string key, string problem);

    [LoggerMessage(3014, LogLevel.Debug, "{Resource}: watch ended at resourceVersion {ResourceVersion} after {Events} events; resuming")]
    public static partial void WatchEnded(ILogger logger, string resource, string resourceVersion, int events);

    [LoggerMessage(3015, LogLevel.Information, "{Resource}: connection to the API server restored")]
    public static partial void Recovered(ILogger logger, string resource);

    [LoggerMessage(3016, LogLevel.Warning, "{Resource}: watch error event: {Message}")]
    public static partial void WatchError(ILogger logger, string resource, string message);
}
