using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Tests.Identity;

/// <summary>DESIGN §2.8: a browser page navigation may be redirected to log in; an API call never is.</summary>
public sealed class LoginRedirectTests
{
    private const string LoginUrl = "/oauth2/start";

    public static TheoryData<string, string, string?, string?, string?, string?, string?, bool> Requests => new()
    {
        // method, path, sec-fetch-mode, sec-fetch-dest, accept, x-requested-with, content-type, redirected
        { "GET", "/", "navigate", "document", "text/html,application/xhtml+xml", null, null, true },
        { "GET", "/jupyter/", null, null, "text/html,application/xhtml+xml,*/*;q=0.8", null, null, true },
        { "GET", "/pipeline/", null, "document", null, null, null, true },
        { "GET", "/", "cors", "empty", "application/json", null, null, false },
        { "GET", "/", "cors", "empty", "text/html", null, null, false },
        { "GET", "/", null, null, "*/*", null, null, false },
        { "GET", "/", null, null, null, null, null, false },
        { "GET", "/", null, null, "text/html", "XMLHttpRequest", null, false },
        { "GET", "/", "navigate", "document", "text/html", "XMLHttpRequest", null, false },
        { "POST", "/", "navigate", "document", "text/html", null, null, false },
        { "GET", "/", null, null, "text/html", null, "application/grpc-web+proto", false },
        { "GET", "/api/workgroup/env-info", "navigate", "document", "text/html", null, null, false },
        { "GET", "/apis/v1beta1/runs", "navigate", "document", "text/html", null, null, false },
        { "GET", "/ml_metadata/x", "navigate", "document", "text/html", null, null, false },
        { "GET", "/notebook/alice/nb1/api/kernels", "navigate", "document", "text/html", null, null, false },
        { "GET", "/notebook/alice/nb1/api/kernels", null, null, "application/json", null, null, false },
        { "GET", "/notebook/alice/nb1/lab", "navigate", "document", "text/html", null, null, true },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void LocationFor_BrowserOrApi_RedirectOnlyPageNavigations(
        string method, string path, string? mode, string? dest, string? accept, string? xrw, string? contentType, bool redirected)
    {
        var input = Input(method, path, mode, dest, accept, xrw, contentType);

        var location = Login().LocationFor(input, PathNormalizer.Normalize(input.Path));

        Assert.Equal(redirected, location is not null);
    }

    [Fact]
    public void LocationFor_WebSocketUpgrade_NeverRedirected()
    {
        var input = Input("GET", "/notebook/alice/nb1/lab", "navigate", "document", "text/html", null, null);
        input.AddHeader(HeaderSlots.Upgrade, "websocket");

        Assert.Null(Login().LocationFor(input, PathNormalizer.Normalize(input.Path)));
    }

    [Theory]
    [InlineData("/jupyter/?ns=alice", "/oauth2/start?rd=%2Fjupyter%2F%3Fns%3Dalice")]
    [InlineData("//evil.example.com/x", "/oauth2/start?rd=%2F")]
    [InlineData("/\\evil.example.com", "/oauth2/start?rd=%2F")]
    [InlineData("https://evil.example.com/", "/oauth2/start?rd=%2F")]
    [InlineData("/a\r\nLocation: https://evil.example.com", "/oauth2/start?rd=%2F")]
    public void LocationFor_AnyTarget_StaysUnderLoginUrlWithRelativeRd(string target, string expected)
    {
        var input = Input("GET", target, "navigate", "document", "text/html", null, null);

        var location = Login().LocationFor(input, new NormalizedPath("/", string.Empty, PathProblem.None));

        Assert.Equal(expected, location);
        Assert.StartsWith(LoginUrl + "?rd=%2F", location);
    }

    [Fact]
    public void LocationFor_NoLoginUrl_Never()
    {
        var input = Input("GET", "/", "navigate", "document", "text/html", null, null);

        Assert.Null(new LoginRedirect(null, PathPatternSet.Parse(LoginOptions.DefaultApiPaths)).LocationFor(input, PathNormalizer.Normalize("/")));
    }

    [Theory]
    [InlineData("navigate", "document", "text/html", null, "/", 302)]
    [InlineData("cors", "empty", "application/json", "XMLHttpRequest", "/", 401)]
    [InlineData("cors", "empty", "*/*", null, "/", 401)]
    [InlineData(null, null, "application/json", null, "/notebook/alice/nb1/api/kernels", 401)]
    public void Decide_SameExpiredToken_RedirectForPagesOnly(string? mode, string? dest, string accept, string? xrw, string path, int status)
    {
        using var bed = IdentityTestBed.Create();
        var token = bed.DexToken(c => c["exp"] = bed.Now - 3600);
        var input = bed.Request(bearer: token);
        input.Path = path;
        Add(input, HeaderSlots.SecFetchMode, mode);
        Add(input, HeaderSlots.SecFetchDest, dest);
        Add(input, HeaderSlots.Accept, accept);
        Add(input, HeaderSlots.XRequestedWith, xrw);
        var authorizer = Pipeline(bed.Authenticator);

        var decision = authorizer.Decide(input);

        Assert.Equal(status, decision.HttpStatus);
        Assert.Equal(ReasonCode.TokenExpired, decision.Reason);
        Assert.Equal("expired", decision.Detail);
        if (status == 302)
        {
            Assert.StartsWith(LoginUrl + "?rd=", decision.RedirectLocation);
        }
    }

    [Fact]
    public void Decide_ValidTokenBeforeIndex_NoAccessNeverAllow()
    {
        using var bed = IdentityTestBed.Create();
        var input = bed.Request(bearer: bed.DexToken());
        input.Path = "/jupyter/api/namespaces/alice/notebooks";
        var authorizer = Pipeline(bed.Authenticator);

        var decision = authorizer.Decide(input);

        Assert.False(decision.Allowed);
        Assert.Equal(403, decision.HttpStatus);
        Assert.Equal(ReasonCode.NoAccess, decision.Reason);
        Assert.Equal("alice@example.com", decision.Principal?.UserId);
    }

    private static LoginRedirect Login() => new(LoginUrl, PathPatternSet.Parse(LoginOptions.DefaultApiPaths));

    /// <summary>The real pipeline with <c>Login:Url</c> set, before any index has loaded.</summary>
    private static Authorizer Pipeline(IAuthenticator authenticator)
    {
        var options = new ExtAuthzOptions();
        options.Login.Url = LoginUrl;
        options.ApplyDefaults();
        return DecisionPipeline.Build(options, authenticator, DecisionPipeline.CreateIndex(options.Policy, TimeProvider.System)).Authorizer;
    }

    private static CheckInput Input(string method, string path, string? mode, string? dest, string? accept, string? xrw, string? contentType)
    {
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = method, Path = path };
        Add(input, HeaderSlots.SecFetchMode, mode);
        Add(input, HeaderSlots.SecFetchDest, dest);
        Add(input, HeaderSlots.Accept, accept);
        Add(input, HeaderSlots.XRequestedWith, xrw);
        Add(input, HeaderSlots.ContentType, contentType);
        return input;
    }

    private static void Add(CheckInput input, int slot, string? value)
    {
        if (value is not null)
        {
            input.AddHeader(slot, value);
        }
    }
}
