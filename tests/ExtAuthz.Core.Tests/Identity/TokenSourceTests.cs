using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Tests.Identity;

public sealed class TokenSourceTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER   abc.def.ghi  ", "abc.def.ghi")]
    [InlineData("Basic dXNlcjpwYXNz", null)]
    [InlineData("abc.def.ghi", null)]
    [InlineData("Bearer ", null)]
    [InlineData("Bearer", null)]
    public void TryGetToken_AuthorizationHeader_ReadsOnlyBearer(string header, string? expected)
    {
        var source = Bound(TokenSource.Header("Authorization"), out var slots);
        var input = new CheckInput(slots);
        input.AddHeader(HeaderSlots.Authorization, header);

        var found = source.TryGetToken(input, out var token);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? string.Empty, token.ToString());
    }

    [Theory]
    [InlineData("abc.def.ghi", "abc.def.ghi")]
    [InlineData("  abc.def.ghi ", "abc.def.ghi")]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    public void TryGetToken_OtherHeader_ReadsBareOrBearerValue(string header, string expected)
    {
        var source = Bound(TokenSource.Header("X-Goog-IAP-JWT-Assertion"), out var slots);
        var input = new CheckInput(slots);
        input.AddHeader(slots.SlotOf("x-goog-iap-jwt-assertion"), header);

        Assert.True(source.TryGetToken(input, out var token));
        Assert.Equal(expected, token.ToString());
    }

    [Theory]
    [InlineData("session=abc.def.ghi", "abc.def.ghi")]
    [InlineData("a=1; session=abc.def.ghi; b=2", "abc.def.ghi")]
    [InlineData("a=1;session=abc.def.ghi", "abc.def.ghi")]
    [InlineData("a=1, session=abc.def.ghi", "abc.def.ghi")]
    [InlineData("a=1,session=abc.def.ghi,b=2", "abc.def.ghi")]
    [InlineData("  session  =  abc.def.ghi  ", "abc.def.ghi")]
    [InlineData("session=\"abc.def.ghi\"", "abc.def.ghi")]
    [InlineData("session=first.one.x; session=second.one.y", "first.one.x")]
    [InlineData("mysession=abc.def.ghi", null)]
    [InlineData("Session=abc.def.ghi", null)]
    [InlineData("session", null)]
    [InlineData("=session; ;;", null)]
    [InlineData("session=", null)]
    [InlineData("", null)]
    public void TryGetToken_Cookie_ParsedTolerantly(string header, string? expected)
    {
        var source = Bound(TokenSource.Cookie("session"), out var slots);
        var input = new CheckInput(slots);
        input.AddHeader(HeaderSlots.Cookie, header);

        var found = source.TryGetToken(input, out var token);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? string.Empty, token.ToString());
    }

    [Fact]
    public void TryGetToken_RepeatedCookieHeadersJoinedByEnvoy_FindsTokenInEither()
    {
        var source = Bound(TokenSource.Cookie("session"), out var slots);
        var input = new CheckInput(slots);
        input.AddHeader(HeaderSlots.Cookie, "a=1; b=2");
        input.AddHeader(HeaderSlots.Cookie, "session=abc.def.ghi");

        Assert.True(source.TryGetToken(input, out var token));
        Assert.Equal("abc.def.ghi", token.ToString());
    }

    [Fact]
    public void TryGetToken_NoHeader_False()
    {
        var source = Bound(TokenSource.Header("authorization"), out var slots);

        Assert.False(source.TryGetToken(new CheckInput(slots), out _));
    }

    private static TokenSource Bound(TokenSource source, out HeaderSlots slots)
    {
        slots = new HeaderSlots([source.HeaderName]);
        source.Bind(slots);
        return source;
    }
}
