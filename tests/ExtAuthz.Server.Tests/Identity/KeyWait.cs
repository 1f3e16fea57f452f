using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Tests.Identity;

internal static class KeyWait
{
    /// <summary>The safety net for background work in these tests; never a measure of speed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the issuer has a key set (the first fetch may already have happened).</summary>
    public static async Task LoadedAsync(IssuerKeys keys)
    {
        while (true)
        {
            var next = keys.NextAttemptApplied;
            if (keys.Current is not null)
            {
                return;
            }

            await next.WaitAsync(Patience);
        }
    }
}
