namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>
/// An authorization request the sign-in form is answering: its id travels in the form, its form token in a cookie
/// of that one request, so only the browser that asked can submit it.
/// </summary>
internal sealed record DevAuthorizationRequest(
    string Id,
    string FormToken,
    string ClientId,
    string RedirectUri,
    string? State,
    string? Nonce,
    string CodeChallenge,
    DateTimeOffset ExpiresAt);
