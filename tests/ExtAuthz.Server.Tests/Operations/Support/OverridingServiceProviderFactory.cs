using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>
/// Applies a test's service registrations after the host registered its own, so they win (the container hands out
/// the last registration). Used through <c>builder.Host.UseServiceProviderFactory</c>: no change to the host.
/// </summary>
internal sealed class OverridingServiceProviderFactory : IServiceProviderFactory<IServiceCollection>
{
    private readonly Action<IServiceCollection> _overrides;

    public OverridingServiceProviderFactory(Action<IServiceCollection> overrides) => _overrides = overrides;

    public IServiceCollection CreateBuilder(IServiceCollection services)
    {
        _overrides(services);
        return services;
    }

    public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider();
}
