using System.Net;
using System.Security.Cryptography;
using System.Text;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Identity.DevSignIn;
using ExtAuthz.Server.Operations;
using Microsoft.Extensions.Primitives;

namespace ExtAuthz.Server.Identity;

/// <summary>
/// The development issuer as a browser OpenID provider on the ops port, loopback callers only: discovery
/// (<c>/dev/.well-known/openid-configuration</c>), the sign-in form (<c>/dev/oidc/authorize</c>), the code exchange
/// (<c>/dev/oidc/token</c>) and logout (<c>/dev/oidc/end-session</c>). The rules are in <see cref="DevAuthorizationServer"/>;
/// this is the HTTP around them: the form's binding cookie, same-origin checks on its submission, the pages, and a
/// sign-in session like a real provider's (a cookie naming who signed in, under a key of this process, ended by
/// end-session): a browser that signed in once is sent straight back with a code, so a client that restarts a login
/// (a lost or raced attempt) completes without the form.
/// </summary>
internal static class DevSignInEndpoints
{
    public const string DiscoveryPath = "/dev/.well-known/openid-configuration";
    public const string AuthorizePath = "/dev/oidc/authorize";
    public const string TokenPath = "/dev/oidc/token";
    public const string EndSessionPath = "/dev/oidc/end-session";
    public const string JwksPath = "/dev/jwks";
    private const string CookiePrefix = "dev_signin_";
    private const long MaxFormBytes = 16 * 1024;
    private const string SessionCookie = "dev_signin_session";
    private static readonly TimeSpan s_sessionLifetime = TimeSpan.FromHours(12);
    private static readonly byte[] s_sessionKey = RandomNumberGenerator.GetBytes(32);

    public static void MapDevSignIn(this IEndpointRouteBuilder endpoints, DevIssuer dev, DevAuthorizationServer server)
    {
        endpoints.MapGet(DiscoveryPath, (HttpContext context) => Results.Text(DevDiscoveryDocument.Json(dev, BaseUrl(context)), "application/json")).LoopbackOnly();
        endpoints.MapGet(AuthorizePath, (HttpContext context, ILogger<DevAuthorizationServer> logger) => Authorize(context, server, logger)).LoopbackOnly();
        endpoints.MapPost(AuthorizePath, (HttpContext context, ILogger<DevAuthorizationServer> logger) => SubmitAsync(context, server, logger)).LoopbackOnly();
        endpoints.MapPost(TokenPath, (HttpContext context, ILogger<DevAuthorizationServer> logger) => ExchangeAsync(context, server, logger)).LoopbackOnly();
        endpoints.MapGet(EndSessionPath, (HttpContext context) => EndSession(context, dev)).LoopbackOnly();
    }

    private static IResult Authorize(HttpContext context, DevAuthorizationServer server, ILogger logger)
    {
        var result = server.Authorize(Pairs(context.Request.Query));
        if (result.Request is { } signedIn && context.Request.Query["prompt"].ToString() != "login" && SessionUser(context.Request) is { } user)
        {
            var again = server.SignIn(signedIn.Id, signedIn.FormToken, user);
            if (again.RedirectTo is not null)
            {
                IdentityLog.DevSignedIn(logger, user);
                return Answer(context, again, logger, "authorize");
            }
        }

        if (result.Request is { } request)
        {
            context.Response.Cookies.Append(CookieName(request.Id), request.FormToken, new CookieOptions
            {
                Path = "/dev/oidc",
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                MaxAge = DevAuthorizationServer.RequestLifetime,
            });
        }

        return Answer(context, result, logger, "authorize");
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, DevAuthorizationServer server, ILogger logger)
    {
        if (!SameOrigin(context.Request))
        {
            IdentityLog.DevSignInRefused(logger, "authorize", "a cross-site form submission");
            return Html(context, DevSignInPage.Error("this form can only be submitted from its own page"), 403, formAction: null);
        }

        if (!context.Request.HasFormContentType || context.Request.ContentLength is null or > MaxFormBytes)
        {
            return Html(context, DevSignInPage.Error("the sign-in form was not sent as a form"), 400, formAction: null);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var requestId = form["request"].Count == 1 ? form["request"].ToString() : null;
        var formToken = requestId is null ? null : context.Request.Cookies[CookieName(requestId)];
        var result = server.SignIn(requestId, formToken, form["email"].Count == 1 ? form["email"].ToString() : null);
        if (result.RedirectTo is not null && requestId is not null)
        {
            context.Response.Cookies.Delete(CookieName(requestId), new CookieOptions { Path = "/dev/oidc", HttpOnly = true, SameSite = SameSiteMode.Strict });
            if (result.User is { } user)
            {
                IdentityLog.DevSignedIn(logger, user);
                context.Response.Cookies.Append(SessionCookie, SessionValue(user), SessionCookieOptions(s_sessionLifetime));
            }
        }

        return Answer(context, result, logger, "authorize");
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, DevAuthorizationServer server, ILogger logger)
    {
        NoStore(context.Response);
        List<KeyValuePair<string, string>> fields = [];
        if (context.Request.HasFormContentType && context.Request.ContentLength is > 0 and <= MaxFormBytes)
        {
            fields = Pairs(await context.Request.ReadFormAsync(context.RequestAborted));
        }

        var (basicId, basicSecret, basicError) = BasicClientCredentials.Parse(context.Request.Headers.Authorization);
        var result = basicError
            ? DevAuthorizationServer.Error(401, "invalid_client", "the Authorization header is not valid Basic client credentials")
            : server.Exchange(new DevTokenExchange(fields, basicId, basicSecret));
        if (result.Succeeded)
        {
            IdentityLog.DevCodeExchanged(logger, result.User!);
        }
        else
        {
            IdentityLog.DevSignInRefused(logger, "token", result.Description ?? "");
            if (result.Status == 401)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"extauthz-dev\"";
            }
        }

        return Results.Text(result.Json, "application/json", Encoding.UTF8, result.Status);
    }

    /// <summary>
    /// RP-initiated logout: ends this browser's sign-in session, checks the <c>id_token_hint</c> (when sent) is its own, then returns to a loopback <c>post_logout_redirect_uri</c> or says so.
    /// </summary>
    private static IResult EndSession(HttpContext context, DevIssuer dev)
    {
        context.Response.Cookies.Delete(SessionCookie, SessionCookieOptions(TimeSpan.Zero));
        var query = context.Request.Query;
        if (query["id_token_hint"] is { Count: > 0 } hint && (hint.Count > 1 || !dev.Signed(hint.ToString())))
        {
            return Html(context, DevSignInPage.Error("id_token_hint is not an ID token of this issuer"), 400, formAction: null);
        }

        if (query["post_logout_redirect_uri"] is { Count: > 0 } target)
        {
            if (target.Count > 1 || !LoopbackRedirect.Allowed(target.ToString()))
            {
                return Html(context, DevSignInPage.Error("post_logout_redirect_uri must be an absolute http(s) URL on this machine"), 400, formAction: null);
            }

            var state = query["state"].Count == 1 ? query["state"].ToString() : null;
            NoStore(context.Response);
            return Results.Redirect(LoopbackRedirect.With(target.ToString(), ("state", state)));
        }

        return Html(context, DevSignInPage.SignedOut(), 200, formAction: null);
    }

    private static IResult Answer(HttpContext context, DevAuthorizeResult result, ILogger logger, string endpoint)
    {
        if (result.RedirectTo is not null)
        {
            NoStore(context.Response);
            // 303 after the form's POST, so the browser follows with a GET.
            context.Response.Headers.Location = result.RedirectTo;
            return Results.StatusCode(HttpMethods.IsPost(context.Request.Method) ? 303 : 302);
        }

        if (result.Request is { } request)
        {
            return Html(context, DevSignInPage.Form(request, AuthorizePath, result.Error), result.Error is null ? 200 : 400,
                formAction: LoopbackRedirect.Origin(request.RedirectUri));
        }

        IdentityLog.DevSignInRefused(logger, endpoint, result.Error!);
        return Html(context, DevSignInPage.Error(result.Error!), 400, formAction: null);
    }

    private static IResult Html(HttpContext context, string html, int status, string? formAction)
    {
        var headers = context.Response.Headers;
        NoStore(context.Response);
        headers.XFrameOptions = "DENY";
        // Not no-referrer: under it a browser sends "Origin: null" with the form's own POST, which the submission check refuses.
        headers["Referrer-Policy"] = "same-origin";
        // A form's redirect is checked against form-action too, so the client's origin is allowed next to our own.
        headers.ContentSecurityPolicy = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
            + (formAction is null ? "" : " " + formAction);
        return Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>
    /// A form submission from this issuer's own page: a browser says so with <c>Sec-Fetch-Site</c> and <c>Origin</c>;
    /// a client that sends neither is not a browser carrying someone's cookies.
    /// </summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var site = request.Headers["sec-fetch-site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, BaseUrl(request.HttpContext), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Lax: the client sends the browser here with a top-level cross-site GET, which must carry the session.</summary>
    private static CookieOptions SessionCookieOptions(TimeSpan maxAge) => new()
    {
        Path = "/dev/oidc",
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        MaxAge = maxAge,
    };

    /// <summary><c>email.expiry.mac</c>: who signed in, until when, under this process's key.</summary>
    private static string SessionValue(string user)
    {
        var body = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(user))
            + "." + DateTimeOffset.UtcNow.Add(s_sessionLifetime).ToUnixTimeSeconds();
        return body + "." + Convert.ToHexStringLower(HMACSHA256.HashData(s_sessionKey, Encoding.ASCII.GetBytes(body)));
    }

    private static string? SessionUser(HttpRequest request)
    {
        var value = request.Cookies[SessionCookie];
        var parts = value?.Split('.');
        if (parts is not { Length: 3 } || !long.TryParse(parts[1], out var expires) || DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= expires)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(s_sessionKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[] mac;
        try
        {
            mac = Convert.FromHexString(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            return null;
        }

        // The MAC held, so the bytes are our own; a decoding failure still names nobody rather than failing the page.
        var user = new byte[parts[0].Length];
        return System.Buffers.Text.Base64Url.TryDecodeFromChars(parts[0], user, out var written) ? Encoding.UTF8.GetString(user, 0, written) : null;
    }

    /// <summary>The cookie that binds a form to the browser it was shown to: one per request, so parallel tabs never collide.</summary>
    private static string CookieName(string requestId) =>
        CookiePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)).AsSpan(0, 8));

    private static List<KeyValuePair<string, string>> Pairs(IEnumerable<KeyValuePair<string, StringValues>> values) =>
        [.. values.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))];

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>
    /// This port as the caller reached it: the Host it named when that is a loopback name (a browser keeps cookies
    /// per host name), else the local address. Only loopback callers get here, and they get loopback URLs back.
    /// </summary>
    public static string BaseUrl(HttpContext context)
    {
        var host = context.Request.Host;
        var name = host.Host;
        var loopbackName = name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        if (loopbackName && host.Port == context.Connection.LocalPort)
        {
            return "http://" + host.Value;
        }

        var local = context.Connection.LocalIpAddress ?? IPAddress.Loopback;
        var address = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return $"http://{address}:{context.Connection.LocalPort}";
    }
}
