using ExtAuthz.Core.Identity;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Core.Tests.Identity;

public sealed class KeySetTests
{
    [Fact]
    public void Merge_KeyStillPublished_SameInstanceKept()
    {
        var first = KeySet.Merge(null, Parse(IdentityTestBed.SharedDexKey), DateTimeOffset.UnixEpoch, out _);
        using var added = TestKey.Rsa("dex-2");

        var second = KeySet.Merge(first, Parse(added, IdentityTestBed.SharedDexKey), DateTimeOffset.UnixEpoch, out var withdrawn);

        Assert.Same(first.ByKeyId["dex-1"], second.ByKeyId["dex-1"]);
        Assert.Equal(0, withdrawn);
        Assert.False(first.ByKeyId["dex-1"].IsWithdrawn);
    }

    [Fact]
    public void Merge_KeyGone_Withdrawn()
    {
        var first = KeySet.Merge(null, Parse(IdentityTestBed.SharedDexKey), DateTimeOffset.UnixEpoch, out _);
        using var added = TestKey.Rsa("dex-2");

        var second = KeySet.Merge(first, Parse(added), DateTimeOffset.UnixEpoch, out var withdrawn);

        Assert.Equal(1, withdrawn);
        Assert.True(first.ByKeyId["dex-1"].IsWithdrawn);
        Assert.False(second.ByKeyId.ContainsKey("dex-1"));
    }

    [Fact]
    public void Merge_SameKidNewMaterial_OldKeyWithdrawn()
    {
        var first = KeySet.Merge(null, Parse(IdentityTestBed.SharedDexKey), DateTimeOffset.UnixEpoch, out _);

        var second = KeySet.Merge(first, Parse(IdentityTestBed.Impostor), DateTimeOffset.UnixEpoch, out var withdrawn);

        Assert.Equal(1, withdrawn);
        Assert.NotSame(first.ByKeyId["dex-1"], second.ByKeyId["dex-1"]);
    }

    [Fact]
    public void Merge_SameKeyRepublishedForAnotherAlg_OldKeyWithdrawn()
    {
        var first = KeySet.Merge(null, Parse(IdentityTestBed.SharedDexKey), DateTimeOffset.UnixEpoch, out _);
        var jwk = IdentityTestBed.SharedDexKey.PublicJwk();
        jwk["alg"] = "RS384";

        var second = KeySet.Merge(first, JwksParser.Parse($$"""{"keys":[{{jwk.ToJsonString()}}]}""", out _)!, DateTimeOffset.UnixEpoch, out var withdrawn);

        Assert.Equal(1, withdrawn);
        Assert.Equal("RS384", second.ByKeyId["dex-1"].Key.Alg);
    }

    [Theory]
    [InlineData("""{"kty":"RSA","use":"enc","kid":"a","n":"$n","e":"AQAB"}""")]
    [InlineData("""{"kty":"RSA","alg":"HS256","kid":"a","n":"$n","e":"AQAB"}""")]
    [InlineData("""{"kty":"oct","kid":"a","k":"c2VjcmV0"}""")]
    [InlineData("""{"kty":"EC","crv":"secp256k1","kid":"a","x":"AQ","y":"AQ"}""")]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","kid":"a","x":"AQ"}""")]
    [InlineData("""{"kty":"RSA","kid":"small","n":"$small","e":"AQAB"}""")]
    public void Parse_UnusableKey_Skipped(string jwk)
    {
        using var small = TestKey.Rsa("small", 1024);
        var n = IdentityTestBed.SharedDexKey.PublicJwk()["n"]!.GetValue<string>();
        var smallN = small.PublicJwk()["n"]!.GetValue<string>();
        var json = $$"""{"keys":[{{jwk.Replace("$n", n).Replace("$small", smallN)}}, {{IdentityTestBed.SharedIapKey.PublicJwk().ToJsonString()}}]}""";

        var keys = JwksParser.Parse(json, out var error);

        Assert.Null(error);
        Assert.Equal(["iap-1"], keys!.Select(k => k.KeyId));
    }

    private static IReadOnlyList<SigningKey> Parse(params TestKey[] keys) => JwksParser.Parse(TestKey.Jwks(keys), out _)!;
}
