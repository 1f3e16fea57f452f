using System.Security.Cryptography;
using System.Text;
using ExtAuthz.Core.Identity;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ExtAuthz.Core.Login;

/// <summary>
/// Checks an ID token from the token endpoint: everything the issuer's own validator checks for a bearer token
/// (signature with its key set, <c>iss</c>, allowed algorithms, times with skew, the user claim, <c>aud</c> among the
/// issuer's audiences), then what OIDC adds for a client: <c>aud</c> names this client, <c>azp</c> is this client
/// when there are several audiences (or whenever present), and <c>nonce</c> equals the one this login sent.
/// </summary>
internal sealed class IdTokenValidator
{
    private readonly IssuerValidator _issuer;
    private readonly string _clientId;

    public IdTokenValidator(IssuerValidator issuer, string clientId)
    {
        _issuer = issuer;
        _clientId = clientId;
    }

    /// <summary>The principal, or a refusal detail (safe to log).</summary>
    /// <param name="expectedNonce">The nonce of this login; null after a refresh, where providers may omit it.</param>
    public (Principal? Principal, string? Failure) Validate(string idToken, string? expectedNonce)
    {
        var check = _issuer.Validate(idToken);
        if (check.Principal is not { } principal)
        {
            return (null, check.IsIssuerMismatch ? "issuer" : check.Detail ?? "invalid");
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(idToken);
        }
        catch (ArgumentException)
        {
            return (null, "malformed");
        }

        var audiences = jwt.Audiences.ToList();
        if (!audiences.Contains(_clientId, StringComparer.Ordinal))
        {
            return (null, "audience is not this client");
        }

        var hasAzp = jwt.TryGetPayloadValue<string>("azp", out var azp);
        if ((audiences.Count > 1 && !hasAzp) || (hasAzp && azp != _clientId))
        {
            return (null, "azp is not this client");
        }

        if (expectedNonce is not null)
        {
            if (!jwt.TryGetPayloadValue<string>("nonce", out var nonce) || nonce is null)
            {
                return (null, "nonce missing");
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(nonce), Encoding.UTF8.GetBytes(expectedNonce)))
            {
                return (null, "nonce mismatch");
            }
        }

        return (principal, null);
    }
}
