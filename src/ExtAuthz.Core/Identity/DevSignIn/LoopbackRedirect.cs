using System.Net;

namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>
/// The development issuer registers no clients: it accepts a redirect (or post-logout) URI only when it is an
/// absolute http(s) URL on this machine (localhost, 127.0.0.0/8, [::1]) without a fragment or user info, so a
/// sign-in on it can never hand a code to another host.
/// </summary>
internal static class LoopbackRedirect
{
    public const int MaxLength = 2048;

    public static bool Allowed(string? value)
    {
        if (value is not { Length: > 0 and <= MaxLength } || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || value.Contains('#'))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary><paramref name="uri"/> with these query parameters added, encoded.</summary>
    public static string With(string uri, params (string Name, string? Value)[] parameters)
    {
        var query = string.Join('&', parameters.Where(p => p.Value is not null)
            .Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return query.Length == 0 ? uri : uri + (uri.Contains('?') ? "&" : "?") + query;
    }

    /// <summary>The scheme, host and port of an allowed URI, as a CSP source.</summary>
    public static string Origin(string uri) => new Uri(uri).GetLeftPart(UriPartial.Authority);
}
