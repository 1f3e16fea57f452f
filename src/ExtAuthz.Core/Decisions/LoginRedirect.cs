using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Decisions;

/// <summary>
/// Decides whether an unauthenticated request is a browser page navigation that should be redirected to
/// <c>Login:Url</c> (DESIGN §2.8) instead of answered 401. API calls, XHR, fetch, gRPC-web, WebSockets and every
/// path under <c>Login:ApiPaths</c> always get 401: a redirect there only breaks the caller.
/// </summary>
public sealed class LoginRedirect
{
    private readonly string? _loginUrl;
    private readonly PathPatternSet _apiPaths;

    public LoginRedirect(string? loginUrl, PathPatternSet apiPaths)
    {
        _loginUrl = string.IsNullOrEmpty(loginUrl) ? null : loginUrl;
        _apiPaths = apiPaths;
    }

    /// <summary>The redirect Location for this request, or null when it must get a 401.</summary>
    public string? LocationFor(CheckInput input, in NormalizedPath path)
    {
        if (_loginUrl is null || input.Method != "GET" || !IsPageNavigation(input))
        {
            return null;
        }

        if (path.IsAmbiguous || _apiPaths.Matches(path.Path.Span))
        {
            return null;
        }

        return string.Concat(_loginUrl, _loginUrl.Contains('?') ? "&rd=" : "?rd=", Uri.EscapeDataString(ReturnPath(input.Path)));
    }

    /// <summary>A top-level navigation: Fetch Metadata says so, or (without it) Accept names text/html and no XHR marker.</summary>
    public static bool IsPageNavigation(CheckInput input)
    {
        if (input.GetHeader(HeaderSlots.XRequestedWith) is not null || input.GetHeader(HeaderSlots.Upgrade) is not null)
        {
            return false;
        }

        var contentType = input.GetHeader(HeaderSlots.ContentType);
        if (contentType is not null && contentType.Contains("grpc", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var mode = input.GetHeader(HeaderSlots.SecFetchMode);
        var dest = input.GetHeader(HeaderSlots.SecFetchDest);
        if (mode is not null || dest is not null)
        {
            return string.Equals(mode, "navigate", StringComparison.OrdinalIgnoreCase)
                || string.Equals(dest, "document", StringComparison.OrdinalIgnoreCase);
        }

        var accept = input.GetHeader(HeaderSlots.Accept);
        return accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The original path and query, relative; anything that could leave the site becomes "/".</summary>
    private static string ReturnPath(string target)
    {
        if (target.Length == 0 || target[0] != '/' || target.StartsWith("//", StringComparison.Ordinal)
            || target.StartsWith("/\\", StringComparison.Ordinal) || target.Any(char.IsControl))
        {
            return "/";
        }

        return target;
    }
}
