using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Login;
using ExtAuthz.Redis;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// With <c>Redis:Configuration</c> set, the login's sessions and pending attempts live in Redis, so every replica
/// serves every session and finishes any login; the in-memory stores are the default otherwise.
/// </summary>
internal static class RedisLoginRegistration
{
    public static void AddRedisLoginStores(this IServiceCollection services, ExtAuthzOptions options)
    {
        services.AddSingleton(sp => new RedisStoreConnection(options.Redis.Configuration!, options.Login.StoreTimeout,
            sp.GetRequiredService<ILogger<RedisStoreConnection>>()));
        services.AddSingleton<ISessionStore>(sp => new RedisSessionStore(sp.GetRequiredService<RedisStoreConnection>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ILoginStateStore>(sp => new RedisLoginStateStore(sp.GetRequiredService<RedisStoreConnection>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RedisRefreshLock(sp.GetRequiredService<RedisStoreConnection>()));
        services.AddSingleton<IRefreshLock>(sp => sp.GetRequiredService<RedisRefreshLock>());
    }
}
