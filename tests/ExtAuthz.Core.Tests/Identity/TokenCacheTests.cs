using ExtAuthz.Core.Identity;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Core.Tests.Identity;

/// <summary>What the validated-token cache drops first: entries that can no longer be served.</summary>
public sealed class TokenCacheTests
{
    [Fact]
    public void RemoveUnservable_ExpiredEntry_RemovedAndLiveOneKept()
    {
        using var bed = IdentityTestBed.Create();
        var cache = new TokenCache(100, 1024 * 1024, bed.Time);
        var expiring = Entry(bed, "expiring", TimeSpan.FromMinutes(1));
        var live = Entry(bed, "live", TimeSpan.FromHours(1));
        cache.Add(expiring);
        cache.Add(live);

        bed.Time.Advance(TimeSpan.FromMinutes(1));
        var removed = cache.RemoveUnservable();

        Assert.Equal(1, removed);
        Assert.Null(cache.Find("expiring"));
        Assert.Same(live, cache.Find("live"));
        Assert.Equal(live.EstimatedBytes, cache.EstimatedBytes);
    }

    [Fact]
    public void Add_CacheFull_ExpiredEntriesSweptBeforeAnyLiveOne()
    {
        using var bed = IdentityTestBed.Create();
        var cache = new TokenCache(4, 1024 * 1024, bed.Time);
        var live = Enumerable.Range(0, 3).Select(i => Entry(bed, $"live-{i}", TimeSpan.FromHours(1))).ToList();
        var expiring = Entry(bed, "expiring", TimeSpan.FromMinutes(1));
        Assert.True(cache.Add(expiring));
        live.ForEach(e => Assert.True(cache.Add(e)));

        bed.Time.Advance(TimeSpan.FromMinutes(2));
        var added = cache.Add(Entry(bed, "new", TimeSpan.FromHours(1)));

        Assert.True(added);
        Assert.Null(cache.Find("expiring"));
        Assert.All(live, e => Assert.Same(e, cache.Find(e.Token)));
        Assert.Equal(4, cache.Count);
    }

    [Fact]
    public void RemoveUnservable_KeyWithdrawn_EntryRemoved()
    {
        using var bed = IdentityTestBed.Create();
        using var next = TestKey.Rsa("dex-2");
        var cache = new TokenCache(100, 1024 * 1024, bed.Time);
        cache.Add(Entry(bed, "signed", TimeSpan.FromHours(1)));

        bed.Publish(0, next);

        Assert.Equal(1, cache.RemoveUnservable());
        Assert.Equal(0, cache.Count);
    }

    private static CachedToken Entry(IdentityTestBed bed, string token, TimeSpan lifetime)
    {
        var expires = bed.Time.GetUtcNow() + lifetime;
        var principal = new Principal(IdentityTestBed.DexIssuer, token + "@example.com", token + "@example.com", [], expires);
        var key = bed.Runtime.Keys[0].Current!.Keys[0];
        return new CachedToken(token, principal, bed.Runtime.Keys[0].Settings.Source, key, expires.UtcTicks);
    }
}
