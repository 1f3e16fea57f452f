using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.Hosting;

/// <summary>Registers the access policy and the index source that feeds it.</summary>
internal static class AccessRegistration
{
    public static void AddAccess(this IServiceCollection services, ExtAuthzOptions options)
    {
        services.AddSingleton<IAccessPolicy>(NoIndexAccessPolicy.Instance);
    }
}
