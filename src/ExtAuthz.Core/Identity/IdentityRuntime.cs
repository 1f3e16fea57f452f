using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Everything identity builds from configuration: the issuers in order (configured ones, then the development
/// issuer), their key sets, the shared token cache and the authenticator. The host wires it in; tests build it directly.
/// </summary>
internal sealed class IdentityRuntime : IDisposable
{
    private IdentityRuntime(JwtAuthenticator authenticator, IReadOnlyList<IssuerKeys> keys, DevIssuer? dev, KeySetFetcher fetcher, HttpClient? ownedClient)
    {
        Authenticator = authenticator;
        Keys = keys;
        DevIssuer = dev;
        Fetcher = fetcher;
        OwnedClient = ownedClient;
    }

    public JwtAuthenticator Authenticator { get; }

    /// <summary>Every issuer's key state, in issuer order (static ones included).</summary>
    public IReadOnlyList<IssuerKeys> Keys { get; }

    public DevIssuer? DevIssuer { get; }

    public KeySetFetcher Fetcher { get; }

    private HttpClient? OwnedClient { get; }

    /// <summary>The token sources of every issuer, development issuer included, without building anything.</summary>
    public static IEnumerable<TokenSource> Sources(ExtAuthzOptions options)
    {
        foreach (var issuer in options.Identity.Issuers)
        {
            yield return IssuerSettings.From(issuer, options.Headers.UserIdPrefix).Source;
        }

        if (options.Identity.DevIssuer.Enabled)
        {
            yield return TokenSource.Header("authorization");
        }
    }

    public static IdentityRuntime Create(ExtAuthzOptions options, TimeProvider time, Requests.HeaderSlots slots, HttpClient? http = null)
    {
        var identity = options.Identity;
        var client = http ?? KeySetFetcher.CreateClient();
        var fetcher = new KeySetFetcher(client, time, identity.KeyFetchTimeout, identity.KeyRefreshInterval);
        var keys = identity.Issuers.Select(i => new IssuerKeys(IssuerSettings.From(i, options.Headers.UserIdPrefix))).ToList();

        DevIssuer? dev = null;
        if (identity.DevIssuer.Enabled)
        {
            dev = new DevIssuer(identity.DevIssuer, options.Headers.UserIdPrefix, time);
            keys.Add(new IssuerKeys(dev.Settings, dev.KeySet));
        }

        foreach (var issuer in keys)
        {
            issuer.Settings.Source.Bind(slots);
        }

        var cache = new TokenCache(identity.TokenCacheMaxEntries, identity.TokenCacheMaxBytes, time);
        foreach (var issuer in keys)
        {
            issuer.KeysWithdrawn += (_, _) => cache.RemoveUnservable();
        }

        var userIds = UserIdRule.For([.. keys.Select(k => k.Settings)]);
        var validators = keys.Select((k, i) => new IssuerValidator(k, userIds[i], time, identity.ClockSkew)).ToList();
        var authenticator = new JwtAuthenticator(validators, cache, time, identity.MaxTokenBytes);
        return new IdentityRuntime(authenticator, keys, dev, fetcher, http is null ? client : null);
    }

    public void Dispose()
    {
        DevIssuer?.Dispose();
        OwnedClient?.Dispose();
    }
}
