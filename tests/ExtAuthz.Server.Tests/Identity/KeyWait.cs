using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Tests.Identity;

internal static class KeyWait
{
    /// <summary>The safety net for background work in these tests; never a measure of speed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the issuer has a key set (the first fetch may already have happened).</summary>
    public static Task LoadedAsync(IssuerKeys keys) => UntilAsync(keys, s => s.Keys > 0);

    /// <summary>Waits until the issuer's reported state is <paramref name="state"/>.</summary>
    public static Task StateAsync(IssuerKeys keys, string state) => UntilAsync(keys, s => s.State == state);

    public static async Task UntilAsync(IssuerKeys keys, Func<KeySetStatus, bool> condition)
    {
        while (true)
        {
            var next = keys.NextAttemptApplied;
            if (condition(keys.Status()))
            {
                return;
            }

            await next.WaitAsync(Patience);
        }
    }
}
