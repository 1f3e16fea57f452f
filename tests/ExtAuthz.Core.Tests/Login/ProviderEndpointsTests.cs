using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Login;
using ExtAuthz.Core.Tests.Identity;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>Where the provider's URLs come from when discovery cannot be had (the development issuer is a URN).</summary>
public sealed class ProviderEndpointsTests
{
    [Fact]
    public async Task Endpoints_UrnIssuerWithConfiguredEndpoints_ConfiguredOnesWithoutEndSession()
    {
        var client = Client(authorize: "http://127.0.0.1:8080/dev/authorize", token: "http://127.0.0.1:8080/dev/oauth/token");

        var endpoints = await client.EndpointsAsync(CancellationToken.None);

        Assert.Equal(new ProviderEndpoints("http://127.0.0.1:8080/dev/authorize", "http://127.0.0.1:8080/dev/oauth/token", null), endpoints);
    }

    [Fact]
    public async Task Endpoints_UrnIssuerWithoutEndpoints_ProviderExceptionNotACrash()
    {
        var client = Client(authorize: null, token: null);

        var refusal = await Assert.ThrowsAsync<ProviderException>(() => client.EndpointsAsync(CancellationToken.None).AsTask());

        Assert.Equal("discovery: the issuer is not an http(s) URL", refusal.Detail);
    }

    private static OidcClient Client(string? authorize, string? token)
    {
        var options = new ExtAuthzOptions();
        options.Identity.DevIssuer.Enabled = true;
        options.Login.Oidc.Issuer = options.Identity.DevIssuer.Issuer;
        options.Login.Oidc.ClientId = options.Identity.DevIssuer.Audience;
        options.Login.Oidc.AuthorizationEndpoint = authorize;
        options.Login.Oidc.TokenEndpoint = token;
        options.ApplyDefaults();
        return new OidcClient(new HttpClient(new StubHttpHandler()), LoginSettings.From(options), TimeProvider.System);
    }
}
