using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Login;

/// <summary>
/// Step 5 with browser sessions: a token from an issuer's own source first (an explicit credential, unchanged), then
/// the session the handler resolved for this request (<see cref="CheckInput.Session"/>). A bad token is answered as
/// today; a bad session cookie without a token gets its own reason.
/// </summary>
internal sealed class SessionAuthenticator : IAuthenticator
{
    private readonly IAuthenticator _tokens;

    public SessionAuthenticator(IAuthenticator tokens) => _tokens = tokens;

    public AuthenticationResult Authenticate(CheckInput input)
    {
        var byToken = _tokens.Authenticate(input);
        if (byToken.Succeeded)
        {
            return byToken;
        }

        return input.Session switch
        {
            SessionEntry session => AuthenticationResult.Success(session.Principal),
            _ when byToken.TokenWasBad => byToken,
            SessionRefusal refusal => AuthenticationResult.Fail(refusal.Reason, refusal.Detail),
            _ => byToken,
        };
    }
}
