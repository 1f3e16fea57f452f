namespace ExtAuthz.Controller.Tests;

/// <summary>Waits for an asynchronous effect by polling, with a deadline generous enough for a loaded CI machine.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task True(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
