using System.Net;
using Envoy.Service.Auth.V3;
using ExtAuthz.Server.Tests.Identity;

namespace ExtAuthz.Server.Tests.Login;

/// <summary>
/// A browser as far as these tests need one: its cookies for the Kubeflow site (kept from the Set-Cookie headers of our
/// denied responses, as Envoy delivers them), a cookie jar for the provider's own pages, and navigations sent to our
/// Check with the headers a browser sends. Follows the provider's redirects until it is sent back to our callback.
/// </summary>
internal sealed class BrowserSession : IDisposable
{
    public const string Gateway = "http://gateway.test";

    private readonly IdentityHost _host;
    private readonly HttpClient _provider = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });

    public BrowserSession(IdentityHost host) => _host = host;

    /// <summary>Our site's cookies, by name.</summary>
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public string CookieHeader(string? extra = null) =>
        string.Join("; ", Cookies.Select(c => c.Key + "=" + c.Value).Concat(extra is null ? [] : [extra]));

    /// <summary>A top-level navigation (or, with <paramref name="mode"/> "cors", a fetch) through Check.</summary>
    public async Task<CheckResponse> CheckAsync(string target, string mode = "navigate", string? extraCookie = null)
    {
        var headers = new List<(string, string)>
        {
            ("accept", mode == "navigate" ? "text/html,application/xhtml+xml" : "application/json"),
            ("sec-fetch-mode", mode),
            ("sec-fetch-dest", mode == "navigate" ? "document" : "empty"),
            ("sec-fetch-site", "same-origin"),
        };
        if (Cookies.Count > 0 || extraCookie is not null)
        {
            headers.Add(("cookie", CookieHeader(extraCookie)));
        }

        var response = await _host.CheckAsync(target, [.. headers]);
        if (response.HttpResponseCase == CheckResponse.HttpResponseOneofCase.DeniedResponse)
        {
            foreach (var header in response.DeniedResponse.Headers.Where(h => h.Header.Key == "set-cookie"))
            {
                var pair = header.Header.Value.Split(';')[0];
                var eq = pair.IndexOf('=');
                if (header.Header.Value.Contains("Max-Age=0", StringComparison.Ordinal))
                {
                    Cookies.Remove(pair[..eq]);
                }
                else
                {
                    Cookies[pair[..eq]] = pair[(eq + 1)..];
                }
            }
        }

        return response;
    }

    public static string? Location(CheckResponse response) =>
        response.DeniedResponse?.Headers.FirstOrDefault(h => h.Header.Key == "location")?.Header.Value;

    /// <summary>Visits the provider from its authorization URL until it redirects back to the gateway; returns that path and query.</summary>
    public async Task<string> ThroughProviderAsync(string authorizeUrl)
    {
        var url = authorizeUrl;
        for (var hop = 0; hop < 10; hop++)
        {
            using var response = await _provider.GetAsync(url);
            var location = response.Headers.Location?.ToString() ?? throw new InvalidOperationException($"provider answered {(int)response.StatusCode} at {url}: {await response.Content.ReadAsStringAsync()}");
            if (location.StartsWith(Gateway, StringComparison.Ordinal))
            {
                return location[Gateway.Length..];
            }

            url = new Uri(new Uri(url), location).ToString();
        }

        throw new InvalidOperationException("the provider never sent the browser back");
    }

    public void Dispose() => _provider.Dispose();
}
