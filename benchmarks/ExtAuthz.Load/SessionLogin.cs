using System.Net;
using System.Text.RegularExpressions;
using ExtAuthz.Browser.Tests;
using ExtAuthz.Load.Requests;

namespace ExtAuthz.Load;

/// <summary>
/// The browser login of the load run's server, as <c>scripts/run.sh</c> configures it (our own code flow against the
/// development issuer's sign-in form on the ops port), and a real session obtained through it before any load: the
/// runner plays the browser, sending the login paths through Check in the Istio shape and the form to the ops port,
/// and keeps the cookies our denied responses set. Every step that does not answer as a browser would stops the run.
/// </summary>
internal static partial class SessionLogin
{
    /// <summary>The address <c>scripts/run.sh</c> gives its development gateway: the callback the issuer sends the browser to.
    /// Nothing needs to listen there: the runner takes the callback's path and query and sends them through Check.</summary>
    public const string Gateway = "http://127.0.0.1:8000";

    public const string BindingCookie = "__Host-extauthz-bind";

    /// <summary>The server arguments of the login: the values <c>scripts/run.sh</c> passes, with this run's ops port.</summary>
    public static IEnumerable<string> ServerArguments(int opsPort) => LoginStack.Arguments(Gateway, opsPort);

    /// <summary>
    /// Signs <paramref name="user"/> in from a navigation to <paramref name="page"/> and returns the browser's
    /// <c>cookie</c> header afterwards: its own cookies, the binding cookie and the session cookie.
    /// </summary>
    public static async Task<string> SignInAsync(int grpcPort, string user, string page)
    {
        // The navigation to our start path answers 302 to the issuer's form, with the browser-binding cookie.
        var start = await CheckAsync(grpcPort, "/oauth2/start?rd=" + Uri.EscapeDataString(page), Navigation("same-origin", IstioCheckRequest.Cookies));
        var authorize = Expect(start, "start", 302, start.Header("location"));
        var binding = Expect(start, "start (binding cookie)", 302, start.SetCookie(BindingCookie));

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var (requestId, formCookie) = await OpenFormAsync(http, authorize);
        var callback = await SubmitAsync(http, authorize, requestId, formCookie, user);

        // The issuer sends the browser back to our callback, a navigation from another site; the answer sets the session.
        var back = await CheckAsync(grpcPort, callback.PathAndQuery, Navigation("cross-site", IstioCheckRequest.Cookies + "; " + binding));
        var session = Expect(back, "callback", 302, back.SetCookie(LoginStack.SessionCookie));
        if (back.Header("location") != page)
        {
            throw Failed("callback", back, $"sent the browser to {back.Header("location")}, not back to {page}");
        }

        return IstioCheckRequest.Cookies + "; " + binding + "; " + session;
    }

    /// <summary>What a browser sends with a top-level navigation (<c>sec-fetch-site</c> from where it comes).</summary>
    private static (string Name, string Value)[] Navigation(string site, string cookie) =>
    [
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("cookie", cookie),
        ("sec-fetch-dest", "document"),
        ("sec-fetch-mode", "navigate"),
        ("sec-fetch-site", site),
        ("sec-fetch-user", "?1"),
    ];

    private static async Task<AnswerCheck.Answer> CheckAsync(int grpcPort, string target, (string Name, string Value)[] headers)
    {
        var request = IstioCheckRequest.Create("GET", target, token: null, destination: null, headers);
        return await AnswerCheck.SendAsync(grpcPort, IstioCheckRequest.GrpcFrame(request));
    }

    /// <summary>The issuer's sign-in form: the hidden request id and the cookie that binds the form to this browser.</summary>
    private static async Task<(string RequestId, string Cookie)> OpenFormAsync(HttpClient http, string authorize)
    {
        using var form = await http.GetAsync(new Uri(authorize));
        var html = await form.Content.ReadAsStringAsync();
        var requestId = RequestField().Match(html) is { Success: true } match ? match.Groups[1].Value : null;
        var cookie = form.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]).FirstOrDefault(v => v.StartsWith("dev_signin_", StringComparison.Ordinal)) : null;
        if (form.StatusCode != HttpStatusCode.OK || requestId is null || cookie is null)
        {
            throw new InvalidOperationException($"session login: the sign-in form at {authorize} answered {(int)form.StatusCode} without a request id and form cookie: {Shorten(html)}");
        }

        return (WebUtility.HtmlDecode(requestId), cookie);
    }

    /// <summary>The form's POST as a browser sends it from the page (same-origin fetch metadata and Origin); 303 to our callback.</summary>
    private static async Task<Uri> SubmitAsync(HttpClient http, string authorize, string requestId, string formCookie, string user)
    {
        var action = new Uri(authorize);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, action.AbsolutePath))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = requestId, ["email"] = user }),
        };
        request.Headers.Add("origin", action.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("sec-fetch-site", "same-origin");
        request.Headers.Add("cookie", formCookie);
        using var submitted = await http.SendAsync(request);
        var location = submitted.Headers.Location;
        if (submitted.StatusCode != HttpStatusCode.SeeOther || location is null || !location.ToString().StartsWith(Gateway + "/oauth2/callback?code=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"session login: the sign-in form answered {(int)submitted.StatusCode} to {location}, not 303 to the callback with a code: {Shorten(await submitted.Content.ReadAsStringAsync())}");
        }

        return location;
    }

    private static string Expect(AnswerCheck.Answer answer, string step, int status, string? value) =>
        answer is { Allowed: false } && answer.HttpStatus == status && value is not null ? value : throw Failed(step, answer, $"expected a denied {status} with what a browser needs next");

    private static InvalidOperationException Failed(string step, AnswerCheck.Answer answer, string what) =>
        new($"session login, {step}: {what}; ExtAuthz answered grpc-status {answer.GrpcStatus}, {(answer.Allowed ? "allow" : "deny")} {answer.HttpStatus} `{answer.Reason}`"
            + $" ({string.Join(", ", answer.Headers.Select(h => h.Name))}). Is the login on (server.log)?");

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex("name=\"request\" value=\"([^\"]+)\"")]
    private static partial Regex RequestField();
}
