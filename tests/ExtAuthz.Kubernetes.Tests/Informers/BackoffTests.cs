using ExtAuthz.Kubernetes.Informers;

namespace ExtAuthz.Kubernetes.Tests.Informers;

public sealed class BackoffTests
{
    [Fact]
    public void Next_DoublesWithJitterUpToTheCeiling()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(42));

        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next()).ToList();

        for (var n = 0; n < delays.Count; n++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, n)));
            Assert.InRange(delays[n], ceiling / 2, ceiling);
        }

        Assert.Equal(10, backoff.Failures);
    }

    [Fact]
    public void Next_TwoReplicasDoNotRetryInStep()
    {
        var a = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(1));
        var b = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(2));

        Assert.NotEqual(Enumerable.Range(0, 5).Select(_ => a.Next()), Enumerable.Range(0, 5).Select(_ => b.Next()));
    }

    [Fact]
    public void Reset_StartsOverAtTheInitialDelay()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(3));
        for (var i = 0; i < 8; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.Equal(0, backoff.Failures);
        Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Next_AfterManyFailures_StaysAtTheCeiling()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(4));
        for (var i = 0; i < 40; i++)
        {
            backoff.Next();
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(backoff.Next(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        }
    }
}
