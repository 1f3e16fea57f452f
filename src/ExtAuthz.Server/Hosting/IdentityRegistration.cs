using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Identity.DevSignIn;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Identity;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// Registers identity: the authenticator over the configured issuers (and the development issuer), the background
/// key-set refresher, one readiness line per issuer, and the development issuer's endpoints on the ops port.
/// </summary>
internal static class IdentityRegistration
{
    /// <summary>Header names the token sources read, so the request reader keeps them (a cookie source needs "cookie").</summary>
    public static IEnumerable<string> TokenHeaders(ExtAuthzOptions options) =>
        IdentityRuntime.Sources(options).Select(s => s.HeaderName).Distinct(StringComparer.Ordinal);

    public static void AddIdentity(this IServiceCollection services, ExtAuthzOptions options)
    {
        var identity = options.Identity;
        if (identity.Issuers.Count == 0 && !identity.DevIssuer.Enabled)
        {
            services.AddSingleton<IAuthenticator>(NoIssuerAuthenticator.Instance);
            return;
        }

        services.AddSingleton(sp => IdentityRuntime.Create(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<HeaderSlots>()));
        services.AddSingleton<IAuthenticator>(sp => sp.GetRequiredService<IdentityRuntime>().Authenticator);
        services.AddHostedService<KeySetRefreshService>();
        if (identity.DevIssuer.Enabled)
        {
            services.AddSingleton(sp => new DevAuthorizationServer(
                sp.GetRequiredService<IdentityRuntime>().DevIssuer!, identity.DevIssuer.ClientSecret, identity.DevIssuer.MaxTokenLifetime,
                sp.GetRequiredService<TimeProvider>()));
        }

        var issuerCount = identity.Issuers.Count + (identity.DevIssuer.Enabled ? 1 : 0);
        for (var i = 0; i < issuerCount; i++)
        {
            var index = i;
            services.AddSingleton<IReadinessContributor>(sp => new KeySetReadiness(sp.GetRequiredService<IdentityRuntime>().Keys[index]));
        }
    }

    /// <summary>The development issuer's JWKS, mint and browser sign-in endpoints, when it is on.</summary>
    public static void MapIdentity(this WebApplication app, IEndpointRouteBuilder ops)
    {
        if (app.Services.GetService<IdentityRuntime>() is { DevIssuer: { } dev })
        {
            IdentityLog.DevIssuerOn(app.Logger, dev.Issuer);
            ops.MapDevIssuer(dev, app.Services.GetRequiredService<DevAuthorizationServer>());
        }
    }
}
