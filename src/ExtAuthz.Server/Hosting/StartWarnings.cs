using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Settings that are valid but make the service do something an operator may not expect: said at start as warning
/// lines, and on <c>/readyz</c> for as long as they hold.
/// </summary>
internal sealed class StartWarnings
{
    public StartWarnings(ExtAuthzOptions options)
    {
        var lines = new List<string>();
        if (options.Identity.Issuers.Count == 0 && !options.Identity.DevIssuer.Enabled)
        {
            lines.Add("no identity issuer is configured (Identity:Issuers:N:Issuer, or Identity:DevIssuer:Enabled for development): "
                + "no token can be validated, so every request that needs a user is denied 401");
        }

        if (options.Policy.DryRun)
        {
            lines.Add("Policy:DryRun is on: every request is allowed; decisions are only logged and counted (outcome dry_run)");
        }

        Lines = lines;
    }

    public IReadOnlyList<string> Lines { get; }

    public void Log(ILogger logger)
    {
        foreach (var line in Lines)
        {
            HostingLog.StartWarning(logger, line);
        }
    }
}
