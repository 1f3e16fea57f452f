using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Identity;

/// <summary>The outcome of step 5: a principal, or the reason there is none. Never an exception.</summary>
public readonly record struct AuthenticationResult(Principal? Principal, ReasonCode Failure, string? Detail)
{
    public bool Succeeded => Principal is not null;

    /// <summary>True when a token was present but did not validate (answers carry <c>error="invalid_token"</c>).</summary>
    public bool TokenWasBad => Principal is null && Failure != ReasonCode.MissingToken;

    public static AuthenticationResult Success(Principal principal) => new(principal, ReasonCode.Authenticated, null);

    public static AuthenticationResult Missing { get; } = new(null, ReasonCode.MissingToken, "no token in any configured source");

    public static AuthenticationResult Fail(ReasonCode reason, string detail) => new(null, reason, detail);
}
