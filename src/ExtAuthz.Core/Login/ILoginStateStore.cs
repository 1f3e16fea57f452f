namespace ExtAuthz.Core.Login;

/// <summary>
/// Pending login attempts, kept on the server (in memory, or Redis so any replica can finish a flow), never in the
/// browser: however many tabs or background requests there are, nothing accumulates in the browser.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item><b>Single use.</b> <see cref="TakeAsync"/> returns an attempt at most once, atomically (Redis: GETDEL), so a
/// replayed callback finds nothing.</item>
/// <item><b>TTL.</b> An attempt is gone at <see cref="PendingLogin.ExpiresAt"/> (10 minutes after it started).</item>
/// <item><b>Bounded per browser.</b> At most <c>maxPerBrowser</c> attempts are kept per
/// <see cref="PendingLogin.BindingHash"/>; putting one more drops the oldest of that browser, so the total is bounded
/// by the browsers that really navigated, and one browser cannot fill the store.</item>
/// <item><b>Sealed.</b> The nonce, PKCE verifier and return path are inside <see cref="PendingLogin.Sealed"/>,
/// encrypted by the caller under a key derived from the key ring and the state value (which the store never sees:
/// its key is a hash of the state).</item>
/// <item><b>Bounded time.</b> A remote store answers or throws <see cref="LoginStoreUnavailableException"/> well within
/// Envoy's 0.5 s.</item>
/// </list>
/// </remarks>
public interface ILoginStateStore
{
    /// <summary>Keeps a new attempt; drops the oldest attempts of the same browser beyond <paramref name="maxPerBrowser"/>.</summary>
    ValueTask PutAsync(PendingLogin attempt, int maxPerBrowser, CancellationToken cancellationToken);

    /// <summary>Removes and returns the attempt with this state hash; null when unknown, expired or already taken.</summary>
    ValueTask<PendingLogin?> TakeAsync(string stateHash, CancellationToken cancellationToken);

    /// <summary>Attempts held (unexpired); for tests (no growth from background requests) and metrics.</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken);
}
