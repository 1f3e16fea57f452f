using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using Google.Protobuf;

namespace ExtAuthz.Server.Tests.Wire;

/// <summary>A reused answer has exactly the bytes the writer would build for that decision, and is reused only when it may be.</summary>
public sealed class ResponseCacheTests
{
    private static readonly Principal s_alice = new("https://issuer", "alice@example.com", "alice@example.com", ["team-a"], DateTimeOffset.MaxValue);

    public static TheoryData<string> Decisions() => [.. s_decisions.Keys];

    private static readonly Dictionary<string, Decision> s_decisions = new()
    {
        ["owner allow"] = Decision.Allow(ReasonCode.Granted, s_alice, "alice", AccessRole.Owner, "owner of profile alice"),
        ["public allow"] = Decision.Allow(ReasonCode.Public, null, null, AccessRole.None, "public path"),
        ["missing token"] = Decision.Deny(ReasonCode.MissingToken, "no token in any configured source"),
        ["expired token"] = Decision.Deny(ReasonCode.TokenExpired, "token expired"),
        ["no access"] = Decision.Deny(ReasonCode.NoAccess, "no binding", s_alice, "bob"),
        ["dry run"] = Decision.Allow(ReasonCode.NoAccess, s_alice, "bob", AccessRole.None, "no binding") with { DryRun = true },
        ["redirect"] = Decision.Redirect(ReasonCode.MissingToken, null, "/oauth2/start?rd=%2Fnotebook%2Falice%2F"),
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Get_AnyDecision_SameBytesAsTheWriter(string name)
    {
        var (writer, cache) = Create();
        var decision = s_decisions[name];

        var first = cache.Get(decision);
        var second = cache.Get(decision);

        Assert.Equal(writer.Write(decision).ToByteArray(), first.Bytes);
        Assert.Equal(first.Bytes, second.Bytes);
    }

    [Fact]
    public void Get_SameAllowTwice_ReusesTheAnswer()
    {
        var (_, cache) = Create();
        var decision = s_decisions["owner allow"];

        Assert.Same(cache.Get(decision), cache.Get(decision));
    }

    [Fact]
    public void Get_OtherNamespaceOrRole_AnswersDiffer()
    {
        var (_, cache) = Create();
        var alice = cache.Get(Decision.Allow(ReasonCode.Granted, s_alice, "alice", AccessRole.Owner, "owner of profile alice"));
        var bob = cache.Get(Decision.Allow(ReasonCode.Granted, s_alice, "bob", AccessRole.Edit, "edit in bob"));
        var bobView = cache.Get(Decision.Allow(ReasonCode.Granted, s_alice, "bob", AccessRole.View, "edit in bob"));

        Assert.NotEqual(alice.Frame, bob.Frame);
        Assert.NotEqual(bob.Frame, bobView.Frame);
    }

    [Fact]
    public void Get_Redirects_NeverReused()
    {
        var (_, cache) = Create();
        var one = cache.Get(Decision.Redirect(ReasonCode.MissingToken, null, "/login?rd=%2Fa"));
        var two = cache.Get(Decision.Redirect(ReasonCode.MissingToken, null, "/login?rd=%2Fb"));

        Assert.NotEqual(one.Frame, two.Frame);
    }

    [Fact]
    public void Get_TwoTokensOfOneUser_ShareTheAnswer()
    {
        var (_, cache) = Create();
        var otherToken = new Principal(s_alice.Issuer, s_alice.UserId, s_alice.UserIdHeaderValue, ["team-a"], DateTimeOffset.MaxValue);

        var first = cache.Get(Decision.Allow(ReasonCode.Granted, s_alice, "alice", AccessRole.Owner, "owner of profile alice"));
        var second = cache.Get(Decision.Allow(ReasonCode.Granted, otherToken, "alice", AccessRole.Owner, "owner of profile alice"));

        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Theory]
    [InlineData("alice@example.com", "accounts.google.com:alice@example.com", "team-a")]
    [InlineData("bob@example.com", "bob@example.com", "team-a")]
    [InlineData("alice@example.com", "alice@example.com", "team-b")]
    public void Get_AnotherIdOrHeaderOrGroups_AnotherAnswer(string userId, string header, string group)
    {
        var (writer, cache) = Create();
        var other = new Principal(s_alice.Issuer, userId, header, [group], DateTimeOffset.MaxValue);
        var decision = Decision.Allow(ReasonCode.Granted, other, "alice", AccessRole.Owner, "owner of profile alice");

        cache.Get(s_decisions["owner allow"]);
        var answer = cache.Get(decision);

        Assert.Equal(writer.Write(decision).ToByteArray(), answer.Bytes);
        Assert.Equal(2, cache.Count);
    }

    [Theory]
    [InlineData(16, 1024 * 1024)]
    [InlineData(1000, 16 * 1024)]
    public void Get_MoreAnswersThanTheBound_CountAndBytesStayWithinIt(int maxEntries, long maxBytes)
    {
        var (writer, _) = Create();
        var cache = new ResponseCache(writer, maxEntries, maxBytes);

        for (var i = 0; i < 200; i++)
        {
            cache.Get(Decision.Allow(ReasonCode.Granted, s_alice, $"ns-{i}", AccessRole.Edit, $"edit in ns-{i}"));
            Assert.InRange(cache.Count, 1, maxEntries);
            Assert.InRange(cache.EstimatedBytes, 1, maxBytes);
        }
    }

    [Fact]
    public void Get_AfterTheCacheWasFull_NewAnswersAreStillReused()
    {
        var (writer, _) = Create();
        var cache = new ResponseCache(writer, 8, 1024 * 1024);
        for (var i = 0; i < 20; i++)
        {
            cache.Get(Decision.Allow(ReasonCode.Granted, s_alice, $"ns-{i}", AccessRole.Edit, $"edit in ns-{i}"));
        }

        var decision = s_decisions["owner allow"];

        Assert.Same(cache.Get(decision), cache.Get(decision));
    }

    [Fact]
    public void Get_WarmAnswer_AllocatesNothing()
    {
        var (_, cache) = Create();
        var decision = s_decisions["owner allow"];
        cache.Get(decision);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            cache.Get(decision);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static (CheckResponseWriter Writer, ResponseCache Cache) Create()
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        var writer = new CheckResponseWriter(options);
        return (writer, new ResponseCache(writer));
    }
}
