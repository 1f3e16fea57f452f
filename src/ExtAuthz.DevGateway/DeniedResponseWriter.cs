using Envoy.Service.Auth.V3;
using Microsoft.AspNetCore.Http;

namespace ExtAuthz.DevGateway;

/// <summary>
/// Answers a deny or an error as Envoy's local reply does (envoy-ext-authz.md §3.2): a deny with
/// <c>denied_response.status</c> (0 → 403), its body (<c>text/plain</c> unless a header says otherwise) and its
/// headers (each named header removed, then every entry added, so several <c>set-cookie</c> survive; entries with
/// <c>append=true</c> are not used); an error with the configured status, an empty body and no headers of Check's.
/// </summary>
internal static class DeniedResponseWriter
{
    public static Task WriteDeniedAsync(DeniedHttpResponse denied, HttpResponse response)
    {
        var status = (int)(denied.Status?.Code ?? 0);
        response.StatusCode = status == 0 ? StatusCodes.Status403Forbidden : status;
        if (denied.Body.Length > 0)
        {
            response.ContentType = "text/plain";
        }

        var used = denied.Headers.Where(h => h.Append is not true).ToList();
        foreach (var option in used)
        {
            response.Headers.Remove(option.Header.Key);
        }

        foreach (var option in used)
        {
            response.Headers.Append(option.Header.Key, option.Header.Value);
        }

        response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(denied.Body);
        return response.WriteAsync(denied.Body);
    }

    public static void WriteError(HttpResponse response, int status)
    {
        response.StatusCode = status;
        response.ContentLength = 0;
    }
}
