using ExtAuthz.Core.Login;

namespace ExtAuthz.Core.Tests.Login;

public sealed class UpstreamCookiesTests
{
    private static readonly UpstreamCookies s_ours = new("__Host-extauthz-session", "__Host-extauthz-bind");

    [Theory]
    [InlineData("__Host-extauthz-session=abc.def", "")]
    [InlineData("__Host-extauthz-session=abc.def; __Host-extauthz-bind=x", "")]
    [InlineData("_xsrf=2|a|b; __Host-extauthz-session=abc.def; theme=dark", "_xsrf=2|a|b; theme=dark")]
    [InlineData("theme=dark,__Host-extauthz-session=abc.def", "theme=dark")]
    [InlineData("list=a,b,c; __Host-extauthz-bind=x", "list=a,b,c")]
    [InlineData(" __Host-extauthz-session = v ;a=1", "a=1")]
    [InlineData("x__Host-extauthz-session=keep", "x__Host-extauthz-session=keep")]
    public void Filter_CookieHeader_OursRemovedOthersKept(string header, string expected) => Assert.Equal(expected, s_ours.Filter(header));

    [Fact]
    public void MayContainOurs_NoneOfOurs_False() => Assert.False(s_ours.MayContainOurs("theme=dark; _xsrf=1"));
}
