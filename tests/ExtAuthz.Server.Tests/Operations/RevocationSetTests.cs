using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Tests.Operations;

/// <summary>The in-memory revocation set: what each kind of entry matches, and expiry.</summary>
public sealed class RevocationSetTests
{
    private static readonly DateTimeOffset RevokedAt = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private static Principal Token(string user, int issuedMinutesFromRevocation, string? jti = null, bool withIat = true, string issuer = "https://dex") =>
        new(issuer, user, user, [], RevokedAt.AddHours(1), withIat ? RevokedAt.AddMinutes(issuedMinutesFromRevocation) : null, "k1", jti);

    public static TheoryData<string, Principal, bool> UserRevocation => new()
    {
        { "issued before", Token("alice@example.com", -10), true },
        { "issued after", Token("alice@example.com", 10), false },
        { "issued at the same instant", Token("alice@example.com", 0), false },
        { "no iat counts as before", Token("alice@example.com", 10, withIat: false), true },
        { "email matches case-insensitively", Token("Alice@Example.COM", -10), true },
        { "other issuer, same user", Token("alice@example.com", -10, issuer: "https://iap"), true },
        { "other user", Token("bob@example.com", -10), false },
    };

    [Theory]
    [MemberData(nameof(UserRevocation))]
    public void Find_UserRevocation_MatchesTokensIssuedBefore(string because, Principal principal, bool revoked)
    {
        var set = new RevocationSet();
        set.Add(Revocations.ForUser("alice@example.com", RevokedAt, Lifetime));

        Assert.True(revoked == set.Find(principal) is not null, because);
    }

    [Fact]
    public void Find_NonEmailIds_MatchExactly()
    {
        var set = new RevocationSet();
        set.Add(Revocations.ForUser("system:serviceaccount:ns:Runner", RevokedAt, Lifetime));

        Assert.NotNull(set.Find(Token("system:serviceaccount:ns:Runner", -1)));
        Assert.Null(set.Find(Token("system:serviceaccount:ns:runner", -1)));
    }

    [Fact]
    public void Find_TokenId_MatchesThatJtiOfThatIssuerOnly()
    {
        var set = new RevocationSet();
        set.Add(Revocations.ForTokenId("https://dex", "jti-1", RevokedAt, Lifetime));

        Assert.NotNull(set.Find(Token("alice@example.com", 10, "jti-1")));
        Assert.Null(set.Find(Token("alice@example.com", -10, "jti-2")));
        Assert.Null(set.Find(Token("alice@example.com", -10, "jti-1", issuer: "https://iap")));
    }

    [Fact]
    public void Find_TokenWithoutJti_MatchesByFingerprintOnly()
    {
        var revoked = Token("alice@example.com", -10);
        var set = new RevocationSet();
        set.Add(Revocations.ForToken(revoked, RevokedAt, Lifetime));

        Assert.Equal(RevocationKind.TokenFingerprint, Assert.Single(set.Entries).Kind);
        Assert.NotNull(set.Find(Token("alice@example.com", -10)));
        Assert.Null(set.Find(Token("alice@example.com", -9)));
    }

    [Fact]
    public void Add_SameRevocationTwice_KeepsOneAndReportsNoChange()
    {
        var set = new RevocationSet();

        Assert.True(set.Add(Revocations.ForUser("alice@example.com", RevokedAt, Lifetime)));
        Assert.False(set.Add(Revocations.ForUser("ALICE@example.com", RevokedAt, Lifetime)));
        Assert.True(set.Add(Revocations.ForUser("alice@example.com", RevokedAt.AddMinutes(5), Lifetime)));

        Assert.False(set.Add(Revocations.ForUser("alice@example.com", RevokedAt.AddMinutes(1), Lifetime)));
        Assert.Equal(RevokedAt.AddMinutes(5), Assert.Single(set.Entries).RevokedAt);
    }

    [Fact]
    public void Prune_AfterMaxTokenLifetime_DropsTheEntry()
    {
        var set = new RevocationSet();
        set.Add(Revocations.ForUser("alice@example.com", RevokedAt, Lifetime));
        set.Add(Revocations.ForUser("bob@example.com", RevokedAt.AddHours(2), Lifetime));

        Assert.Equal(0, set.Prune(RevokedAt + Lifetime - TimeSpan.FromSeconds(1)));
        Assert.Equal(1, set.Prune(RevokedAt + Lifetime));
        Assert.Equal("bob@example.com", Assert.Single(set.Entries).Subject);
    }

    [Fact]
    public void Json_RoundTrip_KeepsEveryField()
    {
        var entry = Revocations.ForToken(Token("alice@example.com", -10), RevokedAt, Lifetime);

        var back = RevocationJson.TryDeserialize(RevocationJson.Serialize(entry));

        Assert.Equal(entry, back);
        Assert.Null(RevocationJson.TryDeserialize("{\"kind\":\"user\"}"));
        Assert.Null(RevocationJson.TryDeserialize("not json"));
    }
}
