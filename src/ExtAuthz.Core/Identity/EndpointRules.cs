namespace ExtAuthz.Core.Identity;

/// <summary>
/// When a discovery or key-set URL may be plain http: only on loopback and in-cluster Service hosts
/// (<c>*.svc</c>, <c>*.svc.cluster.local</c>), where Dex is reached by default, unless the issuer says otherwise.
/// </summary>
internal static class EndpointRules
{
    /// <summary>Null when the URL is acceptable, else the reason.</summary>
    public static string? Check(string url, bool? requireHttps)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"'{url}' is not an absolute http(s) URL";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        var mustBeHttps = requireHttps ?? !IsLocalOrInCluster(uri.Host);
        return mustBeHttps ? $"'{url}' must be https (RequireHttps)" : null;
    }

    public static bool IsLocalOrInCluster(string host)
    {
        host = host.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return System.Net.IPAddress.IsLoopback(address);
        }

        return host.EndsWith(".svc", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".svc.cluster.local", StringComparison.OrdinalIgnoreCase);
    }
}
