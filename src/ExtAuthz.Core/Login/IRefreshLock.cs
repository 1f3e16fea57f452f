namespace ExtAuthz.Core.Login;

/// <summary>
/// One refresh of a session at a time across replicas: a provider such as Dex refuses a refresh token used twice
/// (after 3 s), which would end the session. Without one (a single replica) the in-process guard of
/// <see cref="Sessions"/> is enough.
/// </summary>
public interface IRefreshLock
{
    /// <summary>A hold to dispose when the refresh is saved, or null while another replica holds it.</summary>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string idHash, TimeSpan hold, CancellationToken cancellationToken);
}
