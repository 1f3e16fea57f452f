namespace ExtAuthz.Core.Login;

/// <summary>The provider's URLs the flow uses: configured ones win over discovery's.</summary>
internal sealed record ProviderEndpoints(string AuthorizationEndpoint, string TokenEndpoint, string? EndSessionEndpoint);
