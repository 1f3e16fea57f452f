namespace ExtAuthz.Server.Operations;

/// <summary>
/// The shape of the <c>Logging</c> section, for checking its keys at start: the framework's levels per category and
/// our two settings (their values are checked by <see cref="LogSettings"/>). A provider's own section beside them
/// (<c>Logging:Console:*</c>, set by some base images) is accepted though it has no effect: every line goes through our
/// own writer and no other logging provider is registered.
/// </summary>
internal sealed class LoggingKeys
{
    /// <summary><c>Json</c> or <c>Text</c>.</summary>
    public string? Format { get; set; }

    public string? QueueBytes { get; set; }

    /// <summary><c>Logging:LogLevel:&lt;category&gt;</c>: Trace, Debug, Information, Warning, Error, Critical or None.</summary>
    public Dictionary<string, Microsoft.Extensions.Logging.LogLevel> LogLevel { get; set; } = [];
}
