using System.Net;
using System.Text;
using ExtAuthz.Core.Identity.DevSignIn;

namespace ExtAuthz.Server.Identity;

/// <summary>
/// The development issuer's pages: the one-field sign-in form (plain HTML, no script, labelled for screen readers)
/// and the error and signed-out pages. Each says it is for development.
/// </summary>
internal static class DevSignInPage
{
    /// <summary>The form posts the request id; its form token is in the cookie <paramref name="request"/> was answered with.</summary>
    public static string Form(DevAuthorizationRequest request, string action, string? error)
    {
        var body = new StringBuilder()
            .Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\">")
            .Append("<input type=\"hidden\" name=\"request\" value=\"").Append(Encode(request.Id)).Append("\">")
            .Append("<p><label for=\"email\">Email</label><br>")
            .Append("<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required autofocus size=\"40\"");
        if (error is not null)
        {
            body.Append(" aria-invalid=\"true\" aria-describedby=\"email-error\"");
        }

        body.Append("></p>");
        if (error is not null)
        {
            body.Append("<p id=\"email-error\" role=\"alert\">").Append(Encode(error)).Append("</p>");
        }

        body.Append("<p><button type=\"submit\">Sign in</button></p></form>")
            .Append("<p>You will be signed in to the application at <code>").Append(Encode(LoopbackRedirect.Origin(request.RedirectUri)))
            .Append("</code> with the email you enter. There is no password.</p>");
        return Page("Sign in (development)", body.ToString());
    }

    public static string Error(string message) =>
        Page("Sign-in error (development)", "<p role=\"alert\">" + Encode(message) + "</p>");

    public static string SignedOut() =>
        Page("Signed out (development)", "<p>The development issuer keeps no session of its own: you are signed out of it. Close this tab or go back to the application.</p>");

    private static string Page(string title, string body) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
        + "<title>" + Encode(title) + " - ExtAuthz</title></head><body><main>"
        + "<h1>" + Encode(title) + "</h1>"
        + "<p><strong>ExtAuthz development issuer: for development only, never for production.</strong> "
        + "It signs in anyone with any email address.</p>"
        + body + "</main></body></html>";

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
