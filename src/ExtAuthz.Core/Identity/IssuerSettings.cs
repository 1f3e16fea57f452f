using System.Collections.Frozen;
using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Core.Identity;

/// <summary>One trusted issuer as validation uses it: its exact <c>iss</c>, audiences, algorithms, token source and claims.</summary>
internal sealed class IssuerSettings
{
    public required string Issuer { get; init; }

    /// <summary>The configured key-set URL; null means OIDC discovery under <see cref="Issuer"/>.</summary>
    public string? JwksUri { get; init; }

    public bool? RequireHttps { get; init; }

    public required FrozenSet<string> Audiences { get; init; }

    public required FrozenSet<string> Algorithms { get; init; }

    public required TokenSource Source { get; init; }

    public required string UserClaim { get; init; }

    public required string GroupsClaim { get; init; }

    public required string UserIdPrefix { get; init; }

    public string DiscoveryUri => Issuer.TrimEnd('/') + "/.well-known/openid-configuration";

    public static IssuerSettings From(IssuerOptions issuer, string defaultUserIdPrefix) => new()
    {
        Issuer = issuer.Issuer,
        JwksUri = string.IsNullOrWhiteSpace(issuer.JwksUri) ? null : issuer.JwksUri,
        RequireHttps = issuer.RequireHttps,
        Audiences = issuer.Audiences.ToFrozenSet(StringComparer.Ordinal),
        Algorithms = issuer.Algorithms.ToFrozenSet(StringComparer.Ordinal),
        Source = string.IsNullOrEmpty(issuer.Cookie) ? TokenSource.Header(issuer.Header) : TokenSource.Cookie(issuer.Cookie),
        UserClaim = issuer.UserClaim,
        GroupsClaim = issuer.GroupsClaim,
        UserIdPrefix = issuer.UserIdPrefix ?? defaultUserIdPrefix,
    };
}
