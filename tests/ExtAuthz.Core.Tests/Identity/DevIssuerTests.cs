using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Tests.Identity;

public sealed class DevIssuerTests
{
    [Fact]
    public void Mint_DevIssuerOn_TokenValidatesAsOneMoreIssuer()
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.DevIssuer.Enabled = true);
        var dev = bed.Runtime.DevIssuer!;

        var token = dev.Mint("carol@example.com", ["ml-team"], TimeSpan.FromMinutes(5));
        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal("carol@example.com", result.Principal?.UserId);
        Assert.Equal("urn:extauthz:dev", result.Principal?.Issuer);
        Assert.Equal(["ml-team"], result.Principal?.Groups);
    }

    [Fact]
    public void Mint_PastLifetime_Expired()
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.DevIssuer.Enabled = true);
        var token = bed.Runtime.DevIssuer!.Mint("carol@example.com", [], TimeSpan.FromMinutes(5));

        bed.Time.Advance(TimeSpan.FromMinutes(5) + bed.Options.Identity.ClockSkew);
        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal(ReasonCode.TokenExpired, result.Failure);
    }

    [Fact]
    public void Mint_DevIssuerOff_ItsTokensAreNotTrusted()
    {
        using var withDev = IdentityTestBed.Create(o => o.Identity.DevIssuer.Enabled = true);
        using var bed = IdentityTestBed.Create();
        var token = withDev.Runtime.DevIssuer!.Mint("carol@example.com", [], TimeSpan.FromMinutes(5));

        var result = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal(ReasonCode.InvalidToken, result.Failure);
        Assert.Equal("issuer", result.Detail);
    }

    [Fact]
    public void JwksJson_PublicKeyOnly()
    {
        using var bed = IdentityTestBed.Create(o => o.Identity.DevIssuer.Enabled = true);

        var jwks = bed.Runtime.DevIssuer!.JwksJson();

        Assert.Contains("\"kid\":\"" + bed.Runtime.DevIssuer.KeyId + "\"", jwks);
        Assert.DoesNotContain("\"d\"", jwks);
        Assert.DoesNotContain("\"p\"", jwks);
    }
}
