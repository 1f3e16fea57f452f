using ExtAuthz.Core.Login;

namespace ExtAuthz.Core.Tests.Login;

public sealed class ReturnPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/notebook/alice/nb/", "/notebook/alice/nb/")]
    [InlineData("/pipeline/?ns=alice&x=1", "/pipeline/?ns=alice&x=1")]
    [InlineData("/a%20b", "/")]
    [InlineData("//evil.example.com/", "/")]
    [InlineData("/\\evil.example.com/", "/")]
    [InlineData("\\\\evil.example.com", "/")]
    [InlineData("https://evil.example.com/", "/")]
    [InlineData("http:evil.example.com", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("%2F%2Fevil.example.com", "/")]
    [InlineData("/%2F/evil.example.com", "/")]
    [InlineData("/%2Fevil.example.com", "/")]
    [InlineData("/%5Cevil.example.com", "/")]
    [InlineData("/%252F%252Fevil.example.com", "/")]
    [InlineData("/%09/evil.example.com", "/")]
    [InlineData("/ /evil.example.com", "/")]
    [InlineData("/\t/evil.example.com", "/")]
    [InlineData("/./evil", "/")]
    [InlineData("/../evil", "/")]
    [InlineData("/a/%2e%2e/b", "/")]
    [InlineData("/page#frag", "/")]
    [InlineData("evil.example.com", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void Safe_Variant_RelativePathOrRoot(string? rd, string expected) => Assert.Equal(expected, ReturnPath.Safe(rd));

    [Fact]
    public void Safe_OverLongPath_Root() => Assert.Equal("/", ReturnPath.Safe("/" + new string('a', ReturnPath.MaxLength)));
}
