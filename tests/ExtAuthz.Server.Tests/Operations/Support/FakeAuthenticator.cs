using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>Stands in for the JWT authenticator: a bearer token is valid when it was registered here, with its principal.</summary>
internal sealed class FakeAuthenticator : IAuthenticator
{
    private readonly Dictionary<string, Principal> _tokens = new(StringComparer.Ordinal);

    public FakeAuthenticator Add(string token, Principal principal)
    {
        _tokens[token] = principal;
        return this;
    }

    public AuthenticationResult Authenticate(CheckInput input)
    {
        var header = input.GetHeader(HeaderSlots.Authorization);
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticationResult.Missing;
        }

        return _tokens.TryGetValue(header["Bearer ".Length..], out var principal)
            ? AuthenticationResult.Success(principal)
            : AuthenticationResult.Fail(ReasonCode.InvalidToken, "signature does not verify");
    }

    /// <summary>A principal of the test issuer, issued <paramref name="issuedAgo"/> before now (negative: in the future).</summary>
    public static Principal User(string user, TimeSpan issuedAgo, string? jti = null) => new(
        "https://issuer.test", user, user, [], DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow - issuedAgo, "k1", jti);
}
