using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Login;
using Xunit.Abstractions;

namespace ExtAuthz.Core.Tests.Login;

/// <summary>
/// The memory of 100,000 live sessions on one replica (the in-memory store plus the warm cache), each with a
/// Dex-sized ID token, measured as the growth of the managed heap. The bound is generous; the number is printed.
/// </summary>
public sealed class SessionMemoryTests(ITestOutputHelper output)
{
    private const int Sessions = 100_000;

    [Fact]
    public async Task Create_HundredThousandSessions_HeapGrowthBounded()
    {
        using var bed = LoginTestBed.Create(o => o.Login.Session.CacheMaxEntries = Sessions);
        var idToken = bed.Identity.DexToken(c => c["name"] = new string('n', 200));
        var principal = new Principal(bed.Settings.Issuer, "user@example.com", "user@example.com", ["team-a", "team-b"], bed.Identity.Time.GetUtcNow().AddHours(24));
        var cookies = new string[Sessions];
        cookies[0] = await bed.Sessions.CreateAsync(principal, new TokenResponse(idToken, null), CancellationToken.None);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 1; i < Sessions; i++)
        {
            var user = new Principal(bed.Settings.Issuer, $"user{i}@example.com", $"user{i}@example.com", ["team-a", "team-b"], principal.Expires);
            cookies[i] = await bed.Sessions.CreateAsync(user, new TokenResponse(idToken, null), CancellationToken.None);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perSession = (after - before) / (double)(Sessions - 1);
        output.WriteLine($"{Sessions:N0} sessions (ID token {idToken.Length} chars): {(after - before) / 1024.0 / 1024.0:F1} MiB, {perSession:F0} B each (store and warm cache)");

        Assert.Equal(Sessions, bed.SessionCount);
        Assert.Equal(Sessions, bed.Sessions.Cache.Count);
        Assert.InRange(perSession, 500, 8 * 1024);
        GC.KeepAlive(cookies);
    }
}
