using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>An authenticator that holds each Check until the test opens the gate: a Check kept in flight on purpose.</summary>
internal sealed class GateAuthenticator : IAuthenticator
{
    private readonly SemaphoreSlim _entered = new(0);
    private readonly ManualResetEventSlim _gate = new(false);

    public Task WaitUntilEnteredAsync() => _entered.WaitAsync(TimeSpan.FromSeconds(30));

    public void Open() => _gate.Set();

    public AuthenticationResult Authenticate(CheckInput input)
    {
        _entered.Release();
        _gate.Wait(TimeSpan.FromSeconds(30));
        return AuthenticationResult.Missing;
    }
}
