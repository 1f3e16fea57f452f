using System.Net;
using System.Text.Json;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Login;

/// <summary>
/// Bodies of the login answers: JSON <c>{"error", "reason"}</c> like every deny, or for a browser (Accept names
/// text/html) a tiny page with the reason and a link that starts the login again. Every text is HTML-escaped.
/// </summary>
internal static class LoginPages
{
    public static LoginAnswer Error(int status, ReasonCode reason, string detail, bool html, string? retryUrl, string? message = null)
    {
        var answer = new LoginAnswer { Status = status, Reason = reason, Detail = detail };
        answer.With("cache-control", "no-store");
        var error = status switch
        {
            401 => "unauthenticated",
            400 => "bad_request",
            502 or 503 or 504 => "unavailable",
            _ => "forbidden",
        };
        if (html)
        {
            answer.With("content-type", "text/html; charset=utf-8");
            var text = WebUtility.HtmlEncode(message ?? Describe(reason));
            var link = retryUrl is null ? string.Empty : $"<p><a href=\"{WebUtility.HtmlEncode(retryUrl)}\">Sign in again</a></p>";
            answer.Body = $"<!doctype html><meta charset=\"utf-8\"><title>Sign-in problem</title><h1>Sign-in problem</h1><p>{text}</p><p>Reason: <code>{reason.ToWire()}</code></p>{link}";
        }
        else
        {
            answer.With("content-type", "application/json");
            answer.Body = retryUrl is null
                ? $"{{\"error\":\"{error}\",\"reason\":\"{reason.ToWire()}\"}}"
                : $"{{\"error\":\"{error}\",\"reason\":\"{reason.ToWire()}\",\"login\":{JsonSerializer.Serialize(retryUrl)}}}";
        }

        return answer;
    }

    public static LoginAnswer Redirect(string location, string detail, ReasonCode reason = ReasonCode.LoginFlow) =>
        new LoginAnswer { Status = 302, Reason = reason, Detail = detail }
            .With("location", location)
            .With("cache-control", "no-store");

    private static string Describe(ReasonCode reason) => reason switch
    {
        ReasonCode.InvalidState => "This sign-in link is not valid for this browser. Please sign in again.",
        ReasonCode.LoginStateExpired => "This sign-in took too long or was already used. Please sign in again.",
        ReasonCode.LoginDenied => "The identity provider did not sign you in.",
        ReasonCode.TokenExchangeFailed => "The identity provider could not be reached to finish signing in. Please try again shortly.",
        ReasonCode.InvalidIdToken => "The identity provider's answer could not be verified.",
        ReasonCode.LoginUnavailable => "Signing in is unavailable right now. Please try again shortly.",
        ReasonCode.CrossSite => "Sign-out must be started from this site.",
        _ => "Signing in did not work.",
    };
}
