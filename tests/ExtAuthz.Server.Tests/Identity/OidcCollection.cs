namespace ExtAuthz.Server.Tests.Identity;

/// <summary>Tests that share the one OpenID provider process; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class OidcCollection : ICollectionFixture<OidcProviderFixture>
{
    public const string Name = "oidc-provider";
}
