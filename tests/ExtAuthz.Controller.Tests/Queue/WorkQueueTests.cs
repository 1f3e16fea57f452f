using ExtAuthz.Controller.Queue;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Controller.Tests.Queue;

public sealed class WorkQueueTests
{
    private static WorkQueue NewQueue(FakeTimeProvider time) => new(new KeyBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8)), time);

    [Fact]
    public async Task Add_SameKeyTwiceWhileWaiting_QueuedOnce()
    {
        var queue = NewQueue(new FakeTimeProvider());

        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal(2, queue.Depth);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Add_WhileProcessing_HandedOutOnlyAfterDone()
    {
        var queue = NewQueue(new FakeTimeProvider());
        queue.Add("a");
        var taken = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        var second = queue.TakeAsync(CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        queue.Done(taken);
        Assert.Equal("a", await second);
    }

    [Fact]
    public void AddRateLimited_RepeatedFailures_DelayDoublesToTheCapAndResets()
    {
        var queue = NewQueue(new FakeTimeProvider());

        var delays = Enumerable.Range(0, 6).Select(_ => queue.AddRateLimited("a")).ToList();
        queue.Forget("a");

        Assert.Equal([1, 2, 4, 8, 8, 8], delays.Select(d => (int)d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddRateLimited("b"));
    }

    [Fact]
    public void AddRateLimited_Delay_QueuedOnlyWhenTheClockGetsThere()
    {
        var time = new FakeTimeProvider();
        var queue = NewQueue(time);
        queue.AddRateLimited("a");
        queue.AddRateLimited("a");

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, queue.Depth);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Depth);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Depth);
    }
}
