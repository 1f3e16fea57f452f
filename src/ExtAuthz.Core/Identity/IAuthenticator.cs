using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Identity;

/// <summary>Step 5: find the caller's token in its issuer's source and validate it, from memory only.</summary>
public interface IAuthenticator
{
    AuthenticationResult Authenticate(CheckInput input);
}

/// <summary>The authenticator when no issuer is configured: every protected request is 401 missing_token.</summary>
public sealed class NoIssuerAuthenticator : IAuthenticator
{
    public static NoIssuerAuthenticator Instance { get; } = new();

    public AuthenticationResult Authenticate(CheckInput input) => AuthenticationResult.Missing;
}
