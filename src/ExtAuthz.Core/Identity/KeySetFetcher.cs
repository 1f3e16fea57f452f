using System.Net;
using System.Text.Json;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Fetches an issuer's key set: OIDC discovery (once, then whenever a fetch fails) and the JWKS, within one timeout,
/// over plain http only where <see cref="EndpointRules"/> allows it. Every outcome is a value; nothing throws.
/// The token library's own retriever insists on https, which in-cluster Dex does not serve.
/// </summary>
internal sealed class KeySetFetcher
{
    /// <summary>Bounds within which a provider's Cache-Control max-age is honoured.</summary>
    public static readonly TimeSpan MinRefresh = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxRefresh = TimeSpan.FromHours(1);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _defaultRefresh;

    public KeySetFetcher(HttpClient http, TimeProvider time, TimeSpan timeout, TimeSpan defaultRefresh)
    {
        _http = http;
        _time = time;
        _timeout = timeout;
        _defaultRefresh = defaultRefresh;
    }

    /// <summary>The client the service uses: no redirects (they could leave https), no cookies, 1 MiB at most per answer.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        MaxResponseContentBufferSize = 1024 * 1024,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<KeySetFetchResult> FetchAsync(IssuerSettings issuer, string? knownJwksUri, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var jwksUri = knownJwksUri ?? issuer.JwksUri;
        try
        {
            if (jwksUri is null)
            {
                var discovered = await DiscoverAsync(issuer, linked.Token).ConfigureAwait(false);
                if (discovered.Error is not null)
                {
                    return KeySetFetchResult.Fail(discovered.Error, null);
                }

                jwksUri = discovered.JwksUri!;
            }

            using var response = await _http.GetAsync(jwksUri, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return KeySetFetchResult.Fail($"key set: HTTP {(int)response.StatusCode} from {jwksUri}", jwksUri);
            }

            var json = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            var keys = JwksParser.Parse(json, out var error);
            if (keys is null)
            {
                return KeySetFetchResult.Fail($"key set: {error} ({Describe(response)})", jwksUri);
            }

            return new KeySetFetchResult(keys, null, RefreshAfter(response), jwksUri);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return KeySetFetchResult.Fail($"timed out after {_timeout} fetching {jwksUri ?? issuer.DiscoveryUri}", jwksUri);
        }
        catch (HttpRequestException ex)
        {
            return KeySetFetchResult.Fail($"{jwksUri ?? issuer.DiscoveryUri}: {ex.Message}", jwksUri);
        }
    }

    private async Task<(string? JwksUri, string? Error)> DiscoverAsync(IssuerSettings issuer, CancellationToken cancellationToken)
    {
        var url = issuer.DiscoveryUri;
        if (EndpointRules.Check(url, issuer.RequireHttps) is { } bad)
        {
            return (null, $"discovery: {bad}");
        }

        using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return (null, $"discovery: HTTP {(int)response.StatusCode} from {url}");
        }

        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? issuerValue;
        string? jwksUri;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, $"discovery: not a JSON object ({Describe(response)})");
            }

            issuerValue = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            jwksUri = root.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
        }
        catch (JsonException)
        {
            return (null, $"discovery: not JSON ({Describe(response)})");
        }

        // OpenID Connect Discovery §4.3: the document must name exactly the issuer it was fetched for.
        if (issuerValue != issuer.Issuer)
        {
            return (null, $"discovery: issuer '{issuerValue}' is not '{issuer.Issuer}'");
        }

        if (jwksUri is null)
        {
            return (null, "discovery: no jwks_uri");
        }

        if (EndpointRules.Check(jwksUri, issuer.RequireHttps) is { } badJwks)
        {
            return (null, $"discovery: jwks_uri {badJwks}");
        }

        return (jwksUri, null);
    }

    private TimeSpan RefreshAfter(HttpResponseMessage response)
    {
        var maxAge = response.Headers.CacheControl?.MaxAge;
        if (maxAge is not { } age)
        {
            return _defaultRefresh;
        }

        return age < MinRefresh ? MinRefresh : age > MaxRefresh ? MaxRefresh : age;
    }

    private static string Describe(HttpResponseMessage response) =>
        $"content-type {response.Content.Headers.ContentType?.MediaType ?? "none"}";
}
