namespace ExtAuthz.Server.Tests.Operations.Support;

/// <summary>Waits for a condition that another process (Redis, a replica) makes true, with a generous deadline and no timing assertion.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan deadline)
    {
        var end = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < end)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"gave up waiting ({deadline.TotalSeconds} s) until {what}");
    }
}
