using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtAuthz.Server.Login;

/// <summary>
/// Registers our own login when <c>Login:Oidc:Issuer</c> is set: the session and login-state stores (in memory unless
/// something registered shared ones first, as the Redis area does), and the runtime the Check handler calls.
/// </summary>
internal static class LoginRegistration
{
    public static void AddLogin(this IServiceCollection services, ExtAuthzOptions options)
    {
        if (!options.Login.IsOidcEnabled())
        {
            return;
        }

        services.TryAddSingleton<ISessionStore>(sp => new InMemorySessionStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ILoginStateStore>(sp => new InMemoryLoginStateStore(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LoginRuntime(
            options,
            sp.GetRequiredService<IdentityRuntime>(),
            sp.GetRequiredService<ISessionStore>(),
            sp.GetRequiredService<ILoginStateStore>(),
            sp.GetRequiredService<HeaderSlots>(),
            sp.GetRequiredService<RevocationService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LoginRuntime>>(),
            refreshLock: sp.GetService<IRefreshLock>()));
    }

    /// <summary>Builds the runtime at start, so a <c>revoke --user</c> before the first Check still ends sessions.</summary>
    public static void StartLogin(this WebApplication app) => app.Services.GetService<LoginRuntime>();
}
