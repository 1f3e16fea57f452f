namespace ExtAuthz.Core.Configuration;

internal static class LoginRules
{
    public static void Validate(LoginOptions login, List<string> errors)
    {
        if (login.Url is { Length: > 0 } url)
        {
            // Relative ("/oauth2/start") or absolute http(s); never something a browser could read as another scheme.
            var relative = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
            var absolute = Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
            if (!relative && !absolute)
            {
                errors.Add($"Login:Url: '{url}' must be a path such as /oauth2/start or an http(s) URL");
            }

            if (url.Contains('#') || url.Any(char.IsControl))
            {
                errors.Add("Login:Url: must not contain a fragment or control characters");
            }
        }

        PolicyRules.CheckPrefixes("Login:ApiPaths", login.ApiPaths, errors);
    }
}
