using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Core.Tests.Identity;

public sealed class JwtAuthenticatorTests
{
    public static TheoryData<string> EveryAlgorithm => new() { "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512" };

    [Theory]
    [MemberData(nameof(EveryAlgorithm))]
    public void Authenticate_EverySupportedAlgorithm_ValidatesItsSignatureAndRefusesAnAlteredOne(string algorithm)
    {
        using var key = TestKey.For(algorithm, "k-" + algorithm);
        using var bed = IdentityTestBed.Create(o => o.Identity.Issuers[0].Algorithms = [algorithm]);
        bed.Publish(0, key);
        var token = TestJwt.Sign(key, bed.DexClaims());
        var altered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        var valid = bed.Authenticator.Authenticate(bed.Request(bearer: token));
        var refused = bed.Authenticator.Authenticate(bed.Request(bearer: altered));

        Assert.True(valid.Succeeded, valid.Detail);
        Assert.Equal("alice@example.com", valid.Principal!.UserId);
        Assert.False(refused.Succeeded);
        Assert.Equal(ReasonCode.InvalidToken, refused.Failure);
    }

    [Theory]
    [InlineData("RS256", "PS256")]
    [InlineData("PS256", "RS256")]
    [InlineData("RS256", "RS512")]
    [InlineData("PS384", "PS512")]
    [InlineData("ES256", "ES384")]
    [InlineData("ES384", "ES256")]
    [InlineData("ES512", "ES256")]
    public void Authenticate_HeaderNamesAnotherAlgorithmThanTheSignature_IsRefused(string signedWith, string claimed)
    {
        using var key = TestKey.For(signedWith, "k-1");
        using var bed = IdentityTestBed.Create(o => o.Identity.Issuers[0].Algorithms = [signedWith, claimed]);
        bed.Publish(0, key);
        var token = TestJwt.Sign(key, bed.DexClaims(), new System.Text.Json.Nodes.JsonObject { ["alg"] = claimed });

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.False(result.Succeeded);
        Assert.Equal(ReasonCode.InvalidToken, result.Failure);
    }

    [Fact]
    public void Authenticate_DexToken_PrincipalFromEmailNeverSub()
    {
        using var bed = IdentityTestBed.Create(o => o.Headers.UserIdPrefix = "dex:");

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken()));

        var principal = Assert.IsType<Principal>(result.Principal);
        Assert.Equal("alice@example.com", principal.UserId);
        Assert.Equal("dex:alice@example.com", principal.UserIdHeaderValue);
        Assert.Equal(["team-a", "team-b"], principal.Groups);
        Assert.Equal("team-a,team-b", principal.GroupsHeaderValue);
        Assert.Equal(IdentityTestBed.DexIssuer, principal.Issuer);
        Assert.Equal("dex-1", principal.KeyId);
    }

    [Fact]
    public void Authenticate_IapAssertion_IssuerPrefixAndNoGroups()
    {
        using var bed = IdentityTestBed.Create();

        var result = bed.Authenticator.Authenticate(bed.Request(iap: bed.IapToken()));

        Assert.Equal("accounts.google.com:bob@example.com", result.Principal?.UserIdHeaderValue);
        Assert.Null(result.Principal?.GroupsHeaderValue);
    }

    [Fact]
    public void Authenticate_IapAssertionAndUnrelatedBearer_IapWins()
    {
        using var bed = IdentityTestBed.Create();
        using var otherIdp = TestKey.Rsa("other");
        var unrelated = TestJwt.Sign(otherIdp, bed.DexClaims().Also(c => c["iss"] = "https://accounts.other.example"));

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: unrelated, iap: bed.IapToken()));

        Assert.True(result.Succeeded);
        Assert.Equal(IdentityTestBed.IapIssuer, result.Principal!.Issuer);
    }

    [Fact]
    public void Authenticate_BothValid_FirstIssuerInOrderWins()
    {
        using var bed = IdentityTestBed.Create();

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken(), iap: bed.IapToken()));

        Assert.Equal(IdentityTestBed.DexIssuer, result.Principal!.Issuer);
    }

    [Fact]
    public void Authenticate_BothInvalid_FirstFailureWins()
    {
        using var bed = IdentityTestBed.Create();

        var result = bed.Authenticator.Authenticate(bed.Request(
            bearer: bed.DexToken(c => c["aud"] = "other"), iap: bed.IapToken(c => c["exp"] = bed.Now - 3600)));

        Assert.Equal(ReasonCode.InvalidToken, result.Failure);
        Assert.Equal("audience", result.Detail);
    }

    [Fact]
    public void Authenticate_TwoIssuersOnOneSource_FailureOfTheNamedIssuerPreferred()
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.Issuers.Insert(0, new IssuerOptions
        {
            Issuer = "https://kubernetes.default.svc.cluster.local",
            JwksUri = "https://kubernetes.default.svc.cluster.local/openid/v1/jwks",
            Audiences = ["extauthz"],
            UserClaim = "sub",
        }));

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken(c => c["exp"] = bed.Now - 3600)));

        Assert.Equal(ReasonCode.TokenExpired, result.Failure);
    }

    [Fact]
    public void Authenticate_NoToken_MissingToken()
    {
        using var bed = IdentityTestBed.Create();

        var result = bed.Authenticator.Authenticate(bed.Request(authorization: "Basic dXNlcjpwYXNz"));

        Assert.Equal(ReasonCode.MissingToken, result.Failure);
        Assert.False(result.TokenWasBad);
    }

    [Fact]
    public void Authenticate_SecondTime_SamePrincipalFromCache()
    {
        using var bed = IdentityTestBed.Create();
        var token = bed.DexToken();

        var first = bed.Authenticator.Authenticate(bed.Request(bearer: token));
        var second = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Same(first.Principal, second.Principal);
        Assert.Equal(1, bed.Authenticator.Cache.Count);
    }

    [Fact]
    public void Authenticate_CacheHit_AllocatesNothing()
    {
        using var bed = IdentityTestBed.Create();
        var input = bed.Request(bearer: bed.DexToken());
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(bed.Authenticator.Authenticate(input).Succeeded);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            bed.Authenticator.Authenticate(input);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Authenticate_CachedTokenPastExpPlusSkew_TokenExpired()
    {
        using var bed = IdentityTestBed.Create();
        var token = bed.DexToken(c => c["exp"] = bed.Now + 60);
        Assert.True(bed.Authenticator.Authenticate(bed.Request(bearer: token)).Succeeded);

        bed.Time.Advance(TimeSpan.FromSeconds(60 + 29));
        var withinSkew = bed.Authenticator.Authenticate(bed.Request(bearer: token));
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.True(withinSkew.Succeeded);
        Assert.Equal(ReasonCode.TokenExpired, expired.Failure);
        Assert.Equal(0, bed.Authenticator.Cache.Count);
    }

    [Fact]
    public void Authenticate_SigningKeyWithdrawn_CachedTokenDropped()
    {
        using var bed = IdentityTestBed.Create();
        using var next = TestKey.Rsa("dex-2");
        var token = bed.DexToken();
        Assert.True(bed.Authenticator.Authenticate(bed.Request(bearer: token)).Succeeded);

        bed.Publish(0, next);
        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal(ReasonCode.InvalidToken, result.Failure);
        Assert.Equal("unknown kid", result.Detail);
        Assert.Equal(0, bed.Authenticator.Cache.Count);
    }

    [Fact]
    public void Authenticate_KeyStillPublishedAfterRefresh_CachedPrincipalKept()
    {
        using var bed = IdentityTestBed.Create();
        using var next = TestKey.Rsa("dex-2");
        var token = bed.DexToken();
        var first = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        bed.Publish(0, next, bed.DexKey);
        var second = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Same(first.Principal, second.Principal);
    }

    [Fact]
    public void Authenticate_CachedTokenInAnotherIssuersSource_NotServedFromCache()
    {
        using var bed = IdentityTestBed.Create();
        var token = bed.IapToken();
        Assert.True(bed.Authenticator.Authenticate(bed.Request(iap: token)).Succeeded);

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal("issuer", result.Detail);
    }

    [Fact]
    public void Authenticate_UnknownKid_AsksForOneRefreshWithoutWaiting()
    {
        using var bed = IdentityTestBed.Create();
        using var rotated = TestKey.Rsa("dex-2");
        var keys = bed.Runtime.Keys[0];
        var requested = keys.RefreshRequested;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("unknown kid", bed.Authenticator.Authenticate(bed.Request(bearer: TestJwt.Sign(rotated, bed.DexClaims()))).Detail);
        }

        Assert.True(requested.IsCompleted);
        Assert.Equal(1, keys.Status().RefreshRequests);
    }

    [Fact]
    public void Authenticate_CacheFullOfEntries_StaysWithinBound()
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.TokenCacheMaxEntries = 8);

        for (var i = 0; i < 30; i++)
        {
            var result = bed.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken(c => c["jti"] = $"t{i}")));
            Assert.True(result.Succeeded);
            Assert.InRange(bed.Authenticator.Cache.Count, 1, 8);
        }
    }

    [Fact]
    public void Authenticate_CacheFullOfBytes_StaysWithinBound()
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.TokenCacheMaxBytes = 64 * 1024);

        for (var i = 0; i < 200; i++)
        {
            Assert.True(bed.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken(c => c["jti"] = $"t{i}"))).Succeeded);
            Assert.InRange(bed.Authenticator.Cache.EstimatedBytes, 1, 64 * 1024);
        }

        Assert.InRange(bed.Authenticator.Cache.Count, 2, 199);
    }

    [Fact]
    public void Authenticate_NoKeysLoadedYet_InvalidTokenAndRefreshRequested()
    {
        using var bed = IdentityTestBed.Create();
        var options = bed.Options;
        using var fresh = IdentityRuntime.Create(options, bed.Time, bed.Slots, new HttpClient());

        var result = fresh.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken()));

        Assert.Equal("no keys loaded", result.Detail);
        Assert.True(fresh.Keys[0].RefreshRequested.IsCompleted);
    }

    [Fact]
    public void Authenticate_ServiceAccountToken_UserFromSub()
    {
        const string apiServer = ApiServer;
        using var bed = ServiceAccountBed();
        var token = TestJwt.Sign(bed.DexKey, new()
        {
            ["iss"] = apiServer,
            ["sub"] = "system:serviceaccount:kubeflow:pipeline-runner",
            ["aud"] = new System.Text.Json.Nodes.JsonArray(apiServer),
            ["exp"] = bed.Now + 3600,
            ["iat"] = bed.Now,
            ["nbf"] = bed.Now,
            ["kubernetes.io"] = new System.Text.Json.Nodes.JsonObject { ["namespace"] = "kubeflow" },
        });

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal("system:serviceaccount:kubeflow:pipeline-runner", result.Principal?.UserId);
        Assert.Equal(apiServer, result.Principal?.Issuer);
    }

    [Theory]
    [InlineData(UserIdRule.MaxChars, null)]
    [InlineData(UserIdRule.MaxChars + 1, "email longer than 512 characters")]
    [InlineData(100_000, "email longer than 512 characters")]
    public void Authenticate_UserClaimLength_RefusedPastTheMaximum(int length, string? expected)
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.MaxTokenBytes = 1024 * 1024);
        var email = new string('a', length - "@example.com".Length) + "@example.com";

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken(c => c["email"] = email)));

        Assert.Equal(expected, result.Detail);
        Assert.Equal(expected is null, result.Succeeded);
    }

    [Theory]
    [InlineData("dex-1")]
    [InlineData(null)]
    public void Authenticate_KeyPublishedForAnotherAlgorithm_Refused(string? kid)
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.Issuers[0].Algorithms = ["RS256", "RS384"]);
        var jwk = bed.DexKey.PublicJwk();
        jwk["alg"] = "RS384";
        bed.PublishJwks(0, new System.Text.Json.Nodes.JsonObject { ["keys"] = new System.Text.Json.Nodes.JsonArray(jwk) }.ToJsonString());
        var token = TestJwt.Sign(bed.DexKey, bed.DexClaims(), new System.Text.Json.Nodes.JsonObject { ["kid"] = kid });

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal(ReasonCode.InvalidToken, result.Failure);
        Assert.Equal("alg does not match key", result.Detail);
    }

    [Theory]
    [InlineData("system:serviceaccount:kubeflow:pipeline-runner", null)]
    [InlineData("alice@example.com", "sub is not a Kubernetes id ('system:…') and this issuer shares its user id prefix")]
    public void Authenticate_ServiceAccountIssuerSharingDexsPrefix_OnlyKubernetesIds(string sub, string? expected)
    {
        const string apiServer = ApiServer;
        using var bed = ServiceAccountBed();
        var token = TestJwt.Sign(bed.DexKey, new() { ["iss"] = apiServer, ["sub"] = sub, ["aud"] = apiServer, ["exp"] = bed.Now + 3600 });

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal(expected, result.Detail);
        Assert.Equal(expected is null, result.Succeeded);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(-1, false)]
    public void Authenticate_TokenAtTheSizeLimit_ReadAndOneCharMoreRefusedUnread(int limitOffset, bool succeeds)
    {
        using var probe = IdentityTestBed.Create();
        var token = probe.DexToken();
        using var bed = IdentityTestBed.Create(o => o.Identity.MaxTokenBytes = token.Length + limitOffset);

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal(succeeds, result.Succeeded);
        Assert.Equal(succeeds ? null : "oversized", result.Detail);
    }

    [Fact]
    public void Authenticate_ValidToken_PrincipalCarriesTheTokensTimesAndId()
    {
        using var bed = IdentityTestBed.Create();
        var token = bed.DexToken(c => c["jti"] = "token-7");

        var principal = bed.Authenticator.Authenticate(bed.Request(bearer: token)).Principal!;

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(bed.Now + 3600), principal.Expires);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(bed.Now - 10), principal.IssuedAt);
        Assert.Equal("token-7", principal.TokenId);
    }

    [Fact]
    public void Authenticate_TokenWithoutIatOrJti_PrincipalWithout()
    {
        using var bed = IdentityTestBed.Create();
        var token = bed.DexToken(c => c.Remove("iat"));

        var principal = bed.Authenticator.Authenticate(bed.Request(bearer: token)).Principal!;

        Assert.Null(principal.IssuedAt);
        Assert.Null(principal.TokenId);
    }

    [Fact]
    public void Authenticate_GroupsThatWouldBreakTheHeader_Dropped()
    {
        using var bed = IdentityTestBed.Create();
        var token = bed.DexToken(c => c["groups"] = new System.Text.Json.Nodes.JsonArray("team-a", "", "b,c", "d\nkubeflow-userid: x", "team-b"));

        var principal = bed.Authenticator.Authenticate(bed.Request(bearer: token)).Principal!;

        Assert.Equal(["team-a", "team-b"], principal.Groups);
    }

    [Fact]
    public void Authenticate_GroupsOneString_OneGroup()
    {
        using var bed = IdentityTestBed.Create();

        var principal = bed.Authenticator.Authenticate(bed.Request(bearer: bed.DexToken(c => c["groups"] = "team-a"))).Principal!;

        Assert.Equal(["team-a"], principal.Groups);
    }

    private const string ApiServer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>The test bed with a Kubernetes ServiceAccount issuer third (user claim <c>sub</c>, Dex's key, the default prefix).</summary>
    private static IdentityTestBed ServiceAccountBed()
    {
        var bed = IdentityTestBed.Create(o => o.Identity.Issuers.Add(new IssuerOptions
        {
            Issuer = ApiServer,
            JwksUri = ApiServer + "/openid/v1/jwks",
            Audiences = [ApiServer],
            UserClaim = "sub",
        }));
        bed.Publish(2, bed.DexKey);
        return bed;
    }
}
