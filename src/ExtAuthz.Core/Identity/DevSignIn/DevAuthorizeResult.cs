namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>
/// What an authorization request (or a sign-in form submission) leads to: the form for <see cref="Request"/>
/// (again, with <see cref="Error"/>, when the email was not accepted), a redirect back to the client (a code, or an
/// OAuth error the client can read), or an error page when the client cannot be trusted with a redirect.
/// </summary>
internal sealed record DevAuthorizeResult(DevAuthorizationRequest? Request, string? RedirectTo, string? Error)
{
    /// <summary>Who signed in, on the redirect that carries a code.</summary>
    public string? User { get; init; }

    public static DevAuthorizeResult Form(DevAuthorizationRequest request, string? error = null) => new(request, null, error);

    public static DevAuthorizeResult Redirect(string location) => new(null, location, null);

    public static DevAuthorizeResult Page(string error) => new(null, null, error);
}
