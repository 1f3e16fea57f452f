using ExtAuthz.Core.Access;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Read-your-writes: an answer to a change waits until our own index shows it (it arrives through the same watch that
/// feeds every Check), at most <c>SelfService:VisibleTimeout</c>. Wakes on each publication, never polls.
/// </summary>
internal sealed class IndexWait
{
    private readonly AccessIndex _index;
    private readonly TimeProvider _time;

    public IndexWait(AccessIndex index, TimeProvider time)
    {
        _index = index;
        _time = time;
    }

    /// <summary>True once <paramref name="visible"/> holds; false when the time ran out first.</summary>
    public async Task<bool> UntilAsync(Func<bool> visible, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var published = new SemaphoreSlim(0);
        void OnPublished(AccessSnapshot _) => published.Release();
        _index.Published += OnPublished;
        try
        {
            using var limit = new CancellationTokenSource(timeout, _time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            while (!visible())
            {
                try
                {
                    await published.WaitAsync(either.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return visible();
                }
            }

            return true;
        }
        finally
        {
            _index.Published -= OnPublished;
        }
    }
}
