using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Configuration.Keys;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Every configuration key this process reads: the sections of <see cref="ExtAuthzOptions"/> (read from the classes,
/// so a new option is known at once), <c>Logging</c> (ours and the levels checked; a logging provider's own section,
/// <c>Logging:Console:*</c> say, accepted unless it looks like a misspelling of ours), and what the ASP.NET Core host and
/// Kestrel read themselves, which is theirs to check and accepted whole.
/// </summary>
internal static class HostKeys
{
    /// <summary>
    /// The host's own keys (<c>WebHostDefaults</c>, <c>HostDefaults</c>), Kestrel's section and the host-filtering list:
    /// set by <c>ASPNETCORE_*</c> / <c>DOTNET_*</c> variables, by base images (<c>ASPNETCORE_HTTP_PORTS</c>) or by hand.
    /// </summary>
    public static readonly IReadOnlyList<string> HostOwned =
    [
        "Kestrel", "hostBuilder", "AllowedHosts", "urls", "http_ports", "https_ports", "https_port", "environment",
        "applicationName", "contentRoot", "webroot", "detailedErrors", "shutdownTimeoutSeconds", "suppressStatusMessages",
        "preventHostingStartup", "hostingStartupAssemblies", "hostingStartupExcludeAssemblies", "captureStartupErrors",
        "startupAssembly", "preferHostingUrls",
    ];

    public static KeyNode Root { get; } = KeyTree.Root(KeyTree.SectionsOf(typeof(ExtAuthzOptions))
        .Append(KeyValuePair.Create("Logging", KeyTree.Of(typeof(LoggingKeys)).WithOthersBeside()))
        .Concat(HostOwned.Select(name => KeyValuePair.Create(name, KeyNode.Open))));
}
