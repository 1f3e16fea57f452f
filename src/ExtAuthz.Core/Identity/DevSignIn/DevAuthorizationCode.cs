namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>A code handed to the client after a sign-in: single use, short-lived, bound to the request it answers.</summary>
internal sealed record DevAuthorizationCode(DevAuthorizationRequest Request, string User, DateTimeOffset ExpiresAt);
