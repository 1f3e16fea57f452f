namespace ExtAuthz.Server.Operations;

/// <summary>
/// How the service writes its logs, read from the <c>Logging</c> section beside the framework's own levels:
/// <c>Logging:Format</c> (<c>Json</c>, one object a line like the decision lines, or <c>Text</c>, one line of text
/// per message) and <c>Logging:QueueBytes</c> (what may wait for a slow or stalled stdout before lines are dropped).
/// </summary>
internal sealed record LogSettings(bool Json, long QueueBytes)
{
    public static LogSettings Read(IConfiguration configuration, List<string> errors)
    {
        var section = configuration.GetSection("Logging");
        var format = section["Format"] ?? "Json";
        var json = format.Equals("Json", StringComparison.OrdinalIgnoreCase);
        if (!json && !format.Equals("Text", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Logging:Format: '{format}' is not Json or Text");
        }

        var bytes = 4L * 1024 * 1024;
        if (section["QueueBytes"] is { } text && (!long.TryParse(text, out bytes) || bytes is < 65_536 or > 1L << 30))
        {
            errors.Add("Logging:QueueBytes: must be a number between 65536 and 1073741824");
        }

        return new LogSettings(json, bytes);
    }
}
