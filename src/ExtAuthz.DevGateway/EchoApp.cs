using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ExtAuthz.DevGateway;

/// <summary>
/// The sample upstream: shows the request it received, so a person sees the <c>kubeflow-userid</c> the gateway
/// let through. JSON when the caller accepts <c>application/json</c>, else an HTML page.
/// </summary>
internal static class EchoApp
{
    public static Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.ToString()))
            .ToList();
        var user = request.Headers["kubeflow-userid"].ToString();
        var path = request.Path.Value + request.QueryString.Value;
        context.Response.Headers.CacheControl = "no-store";
        if (request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return context.Response.WriteAsJsonAsync(new
            {
                method = request.Method,
                path,
                headers = headers.ToDictionary(h => h.Name, h => h.Value),
            });
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(Page(request.Method, path, user, headers));
    }

    private static string Page(string method, string path, string user, List<(string Name, string Value)> headers)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>ExtAuthz echo</title></head><body>")
            .Append("<p><strong>Development gateway: not for production.</strong></p>")
            .Append("<h1>").Append(user.Length > 0 ? "kubeflow-userid: " + WebUtility.HtmlEncode(user) : "no kubeflow-userid").Append("</h1>")
            .Append("<p><code>").Append(WebUtility.HtmlEncode(method)).Append(' ').Append(WebUtility.HtmlEncode(path)).Append("</code></p>")
            .Append("<table><tr><th>header</th><th>value</th></tr>");
        foreach (var (name, value) in headers)
        {
            html.Append("<tr><td><code>").Append(WebUtility.HtmlEncode(name)).Append("</code></td><td><code>")
                .Append(WebUtility.HtmlEncode(value)).Append("</code></td></tr>");
        }

        return html.Append("</table></body></html>").ToString();
    }
}
