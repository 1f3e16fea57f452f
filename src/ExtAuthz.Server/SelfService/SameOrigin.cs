using Microsoft.Net.Http.Headers;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Keeps a cross-site page from changing anything (CSRF). A change through the JSON API must send
/// <c>Content-Type: application/json</c> (a cross-site form cannot without a CORS preflight, which we never answer).
/// In every case a browser's <c>Sec-Fetch-Site</c>, when sent, must be <c>same-origin</c> or <c>none</c>, and its
/// <c>Origin</c>, when sent, must name the host the request was sent to. The sharing page's HTML forms cannot send
/// JSON, so for them one of those two browser headers must be present and pass.
/// </summary>
internal static class SameOrigin
{
    public static Outcome? RefusalForJson(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new Outcome(415, "not_json", "a change must be sent as Content-Type: application/json");
        }

        return CrossSite(request);
    }

    public static Outcome? RefusalForForm(HttpRequest request)
    {
        if (!request.Headers.ContainsKey(HeaderNames.Origin) && !request.Headers.ContainsKey("sec-fetch-site"))
        {
            return Outcome.Forbidden("cross_site", "a form post must come from the page itself (no Origin or Sec-Fetch-Site header)");
        }

        return CrossSite(request);
    }

    /// <summary>A change without a body (a DELETE of a named object): only the browser headers are checked.</summary>
    public static Outcome? RefusalForBodyless(HttpRequest request) => CrossSite(request);

    private static Outcome? CrossSite(HttpRequest request)
    {
        var site = request.Headers["sec-fetch-site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return Outcome.Forbidden("cross_site", $"a change must come from the same origin (Sec-Fetch-Site: {Shown(site)})");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return Outcome.Forbidden("cross_site", "a change must come from the same origin (Origin names another host)");
        }

        return null;
    }

    private static string Shown(string value) => new([.. value.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
}
