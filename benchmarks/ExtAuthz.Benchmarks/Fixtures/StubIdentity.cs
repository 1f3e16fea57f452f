using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>Stands in for a warm token cache: any bearer token maps to one principal, without a lookup.</summary>
public sealed class StubAuthenticator : IAuthenticator
{
    private readonly AuthenticationResult _result;

    public StubAuthenticator(Principal principal) => _result = AuthenticationResult.Success(principal);

    public AuthenticationResult Authenticate(CheckInput input) =>
        input.GetHeader(HeaderSlots.Authorization) is null ? AuthenticationResult.Missing : _result;
}
