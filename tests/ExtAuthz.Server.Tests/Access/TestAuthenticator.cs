using System.Collections.Concurrent;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtAuthz.Server.Tests.Access;

/// <summary>
/// Stands in for the issuers in end-to-end access tests: a bearer token it issued names a user and groups. It is put
/// in place of the host's authenticator after the host has registered its own, through the service provider factory.
/// </summary>
internal sealed class TestAuthenticator : IAuthenticator
{
    private readonly ConcurrentDictionary<string, Principal> _tokens = new(StringComparer.Ordinal);

    public string Issue(string user, params string[] groups)
    {
        var token = $"e2e.{Guid.NewGuid():N}";
        _tokens[token] = new Principal("https://dex.example.com/dex", user, user, groups, DateTimeOffset.UtcNow.AddHours(1));
        return token;
    }

    public AuthenticationResult Authenticate(CheckInput input)
    {
        var header = input.GetHeader(HeaderSlots.Authorization);
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticationResult.Missing;
        }

        return _tokens.TryGetValue(header["Bearer ".Length..], out var principal)
            ? AuthenticationResult.Success(principal)
            : AuthenticationResult.Fail(Core.Decisions.ReasonCode.InvalidToken, "not a token this test issued");
    }

    /// <summary>For <c>ExtAuthzHost.Build</c>'s configure callback: replaces the authenticator once every registration is in.</summary>
    public Action<WebApplicationBuilder> InstallInto => builder =>
        builder.Host.UseServiceProviderFactory(new ReplacingFactory(services =>
        {
            services.RemoveAll<IAuthenticator>();
            services.AddSingleton<IAuthenticator>(this);
        }));

    private sealed class ReplacingFactory(Action<IServiceCollection> replace) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            replace(services);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider();
    }
}
