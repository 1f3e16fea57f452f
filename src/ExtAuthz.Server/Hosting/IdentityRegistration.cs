using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Hosting;

/// <summary>Registers the authenticator for the configured issuers.</summary>
internal static class IdentityRegistration
{
    /// <summary>Header names the token sources read, so the request reader keeps them.</summary>
    public static IEnumerable<string> TokenHeaders(ExtAuthzOptions options) =>
        options.Identity.Issuers.Select(i => i.Header);

    public static void AddIdentity(this IServiceCollection services, ExtAuthzOptions options)
    {
        services.AddSingleton<IAuthenticator>(NoIssuerAuthenticator.Instance);
    }
}
