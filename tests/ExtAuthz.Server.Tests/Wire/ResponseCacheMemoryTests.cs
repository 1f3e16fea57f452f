using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;

namespace ExtAuthz.Server.Tests.Wire;

/// <summary>
/// The reused answers under the attack that once grew the process by 400 MB: many valid tokens sprayed over many
/// namespaces. Memory is measured from the process (managed heap after a full collection), alone in its collection.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class ResponseCacheMemoryTests
{
    private const int Tokens = 2000;
    private const int Namespaces = 64;

    [Fact]
    public void Get_ManyTokensOfOneUserSprayedOverManyNamespaces_HeapStaysFlat()
    {
        var cache = new ResponseCache(Writer());
        var principals = Enumerable.Range(0, Tokens).Select(_ => Alice()).ToList();
        var before = HeapAfterFullCollection();

        foreach (var principal in principals)
        {
            Spray(cache, principal);
        }

        var grown = HeapAfterFullCollection() - before;
        Assert.Equal(Namespaces, cache.Count);
        Assert.InRange(grown, long.MinValue, 4L * 1024 * 1024);
        GC.KeepAlive(principals);
    }

    [Fact]
    public void Get_ManyUsersSprayedOverManyNamespaces_HeapStaysWithinTheBound()
    {
        const long maxBytes = 4L * 1024 * 1024;
        var cache = new ResponseCache(Writer(), 4096, maxBytes);
        var principals = Enumerable.Range(0, 500).Select(i => User($"user-{i}@example.com")).ToList();
        var before = HeapAfterFullCollection();

        foreach (var principal in principals)
        {
            Spray(cache, principal);
        }

        var grown = HeapAfterFullCollection() - before;
        Assert.InRange(cache.EstimatedBytes, 1, maxBytes);
        Assert.InRange(grown, long.MinValue, 2 * maxBytes);
        GC.KeepAlive(principals);
    }

    private static void Spray(ResponseCache cache, Principal principal)
    {
        for (var n = 0; n < Namespaces; n++)
        {
            var ns = $"team-{n}";
            cache.Get(Decision.Allow(ReasonCode.Granted, principal, ns, AccessRole.Edit, "edit in " + ns));
        }
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static Principal Alice() => User("alice@example.com");

    private static Principal User(string id) => new("https://issuer", id, id, ["team-a"], DateTimeOffset.MaxValue);

    private static CheckResponseWriter Writer()
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        return new CheckResponseWriter(options);
    }
}
