using ExtAuthz.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Binds <see cref="ExtAuthzOptions"/> from ASP.NET configuration section by section, so that a value that does
/// not parse becomes one more line in the error list instead of stopping at the first.
/// </summary>
internal static class OptionsLoader
{
    public static ExtAuthzOptions Load(IConfiguration configuration, List<string> errors)
    {
        var options = new ExtAuthzOptions();
        Bind(configuration, "Server", options.Server, errors);
        Bind(configuration, "Identity", options.Identity, errors);
        Bind(configuration, "Headers", options.Headers, errors);
        Bind(configuration, "Policy", options.Policy, errors);
        Bind(configuration, "Login", options.Login, errors);
        Bind(configuration, "Audit", options.Audit, errors);
        Bind(configuration, "Redis", options.Redis, errors);
        Bind(configuration, "Revocation", options.Revocation, errors);
        Bind(configuration, "SelfService", options.SelfService, errors);
        options.ApplyDefaults();
        return options;
    }

    private static void Bind(IConfiguration configuration, string section, object target, List<string> errors)
    {
        try
        {
            configuration.GetSection(section).Bind(target, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the value it could not convert, or the unknown key.
            var message = ex.InnerException?.Message ?? ex.Message;
            errors.Add($"{section}: {message}");
        }
    }
}
