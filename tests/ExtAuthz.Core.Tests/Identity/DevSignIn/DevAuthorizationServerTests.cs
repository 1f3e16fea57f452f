using System.Text.Json;
using ExtAuthz.Core.Identity.DevSignIn;

namespace ExtAuthz.Core.Tests.Identity.DevSignIn;

public sealed class DevAuthorizationServerTests
{
    [Fact]
    public void Authorize_ValidRequest_PendingFormBoundToItsParameters()
    {
        using var bed = DevSignInBed.Create();

        var result = bed.Server.Authorize(DevSignInBed.Query());

        var request = Assert.IsType<DevAuthorizationRequest>(result.Request);
        Assert.Null(result.Error);
        Assert.Equal(DevSignInBed.RedirectUri, request.RedirectUri);
        Assert.Equal("state-1", request.State);
        Assert.Equal("nonce-1", request.Nonce);
        Assert.NotEqual(request.Id, request.FormToken);
        Assert.Same(request, bed.Server.Pending(request.Id, request.FormToken));
        Assert.Null(bed.Server.Pending(request.Id, "another browser's token"));
    }

    /// <summary>Until client_id and redirect_uri are known good, the error stays on the issuer's own page.</summary>
    [Theory]
    [InlineData("client_id", null, "unknown client_id")]
    [InlineData("client_id", "someone-else", "unknown client_id")]
    [InlineData("redirect_uri", null, "redirect_uri must be")]
    [InlineData("redirect_uri", "/oauth2/callback", "redirect_uri must be")]
    [InlineData("redirect_uri", "https://evil.example.com/oauth2/callback", "redirect_uri must be")]
    [InlineData("redirect_uri", "http://127.0.0.1.evil.example.com/cb", "redirect_uri must be")]
    [InlineData("redirect_uri", "http://user@127.0.0.1:8000/cb", "redirect_uri must be")]
    [InlineData("redirect_uri", "http://127.0.0.1:8000/cb#frag", "redirect_uri must be")]
    [InlineData("redirect_uri", "javascript://127.0.0.1/%0aalert(1)", "redirect_uri must be")]
    public void Authorize_UntrustedClientOrRedirect_ErrorPageNoRedirect(string name, string? value, string error)
    {
        using var bed = DevSignInBed.Create();

        var result = bed.Server.Authorize(DevSignInBed.Query((name, value)));

        Assert.Null(result.RedirectTo);
        Assert.Null(result.Request);
        Assert.StartsWith(error, result.Error);
        Assert.Equal(0, bed.Server.PendingRequests);
    }

    [Theory]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("response_type", null, "unsupported_response_type")]
    [InlineData("scope", "email", "invalid_scope")]
    [InlineData("scope", null, "invalid_scope")]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge", "short", "invalid_request")]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("prompt", "none", "login_required")]
    public void Authorize_BadRequestFromAKnownClient_ErrorRedirectWithState(string name, string? value, string error)
    {
        using var bed = DevSignInBed.Create();

        var result = bed.Server.Authorize(DevSignInBed.Query((name, value)));

        var query = DevSignInBed.QueryOf(Assert.IsType<string>(result.RedirectTo));
        Assert.StartsWith(DevSignInBed.RedirectUri + "?", result.RedirectTo);
        Assert.Equal(error, query["error"]);
        Assert.Equal("state-1", query["state"]);
        Assert.Equal(0, bed.Server.PendingRequests);
    }

    [Fact]
    public void Authorize_RepeatedParameter_ErrorPage()
    {
        using var bed = DevSignInBed.Create();
        var query = DevSignInBed.Query();
        query.Add(new("redirect_uri", "http://127.0.0.1:9999/other"));

        var result = bed.Server.Authorize(query);

        Assert.Equal("the parameter 'redirect_uri' is repeated", result.Error);
        Assert.Null(result.RedirectTo);
    }

    [Fact]
    public void SignIn_ValidEmail_RedirectsWithCodeAndStateOnce()
    {
        using var bed = DevSignInBed.Create();
        var request = bed.Server.Authorize(DevSignInBed.Query()).Request!;

        var first = bed.Server.SignIn(request.Id, request.FormToken, " alice@example.com ");
        var again = bed.Server.SignIn(request.Id, request.FormToken, "mallory@example.com");

        var query = DevSignInBed.QueryOf(first.RedirectTo!);
        Assert.Equal("alice@example.com", first.User);
        Assert.Equal("state-1", query["state"]);
        Assert.Equal(43, query["code"].Length);
        Assert.Null(again.RedirectTo);
        Assert.StartsWith("this sign-in form has expired or was already used", again.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    [InlineData("alice@@example.com")]
    [InlineData("alice @example.com")]
    [InlineData("alice@example.com\nkubeflow-userid: admin@example.com")]
    [InlineData("alice@example.com,admin@example.com")]
    [InlineData(null)]
    public void SignIn_BadEmail_FormAgainRequestKept(string? email)
    {
        using var bed = DevSignInBed.Create();
        var request = bed.Server.Authorize(DevSignInBed.Query()).Request!;

        var result = bed.Server.SignIn(request.Id, request.FormToken, email);

        Assert.Same(request, result.Request);
        Assert.Equal("enter an email address such as alice@example.com", result.Error);
        Assert.Equal(1, bed.Server.PendingRequests);
    }

    [Fact]
    public void SignIn_WrongFormToken_Refused()
    {
        using var bed = DevSignInBed.Create();
        var request = bed.Server.Authorize(DevSignInBed.Query()).Request!;

        var result = bed.Server.SignIn(request.Id, "a token from another browser", "alice@example.com");

        Assert.Null(result.RedirectTo);
        Assert.NotNull(result.Error);
        Assert.Equal(1, bed.Server.PendingRequests);
    }

    [Fact]
    public void SignIn_AfterTheRequestExpired_Refused()
    {
        using var bed = DevSignInBed.Create();
        var request = bed.Server.Authorize(DevSignInBed.Query()).Request!;

        bed.Time.Advance(DevAuthorizationServer.RequestLifetime);
        var result = bed.Server.SignIn(request.Id, request.FormToken, "alice@example.com");

        Assert.Null(result.RedirectTo);
        Assert.StartsWith("this sign-in form has expired", result.Error);
    }

    [Fact]
    public void Exchange_ValidCode_IdTokenWithNonceAudAzpSignedByTheDevKey()
    {
        using var bed = DevSignInBed.Create();
        var code = bed.SignIn("alice@example.com");

        var result = bed.Server.Exchange(DevSignInBed.Exchange(code));

        Assert.Equal(200, result.Status);
        var body = JsonDocument.Parse(result.Json).RootElement;
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        var idToken = body.GetProperty("id_token").GetString()!;
        var claims = DevSignInBed.Payload(idToken);
        Assert.True(bed.Issuer.Signed(idToken));
        Assert.Equal("urn:extauthz:dev", claims.GetProperty("iss").GetString());
        Assert.Equal("extauthz-dev", claims.GetProperty("aud").GetString());
        Assert.Equal("extauthz-dev", claims.GetProperty("azp").GetString());
        Assert.Equal("nonce-1", claims.GetProperty("nonce").GetString());
        Assert.Equal("alice@example.com", claims.GetProperty("email").GetString());
        Assert.True(claims.GetProperty("email_verified").GetBoolean());
        Assert.Equal(bed.Time.GetUtcNow().ToUnixTimeSeconds() + 3600, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void Exchange_CodeUsedTwice_SecondIsInvalidGrant()
    {
        using var bed = DevSignInBed.Create();
        var code = bed.SignIn();

        var first = bed.Server.Exchange(DevSignInBed.Exchange(code));
        var second = bed.Server.Exchange(DevSignInBed.Exchange(code));

        Assert.Equal(200, first.Status);
        Assert.Equal(400, second.Status);
        Assert.Equal("invalid_grant", DevSignInBed.ErrorOf(second));
    }

    [Fact]
    public void Exchange_AfterTheCodeExpired_InvalidGrant()
    {
        using var bed = DevSignInBed.Create();
        var code = bed.SignIn();

        bed.Time.Advance(DevAuthorizationServer.CodeLifetime);
        var result = bed.Server.Exchange(DevSignInBed.Exchange(code));

        Assert.Equal("invalid_grant", DevSignInBed.ErrorOf(result));
    }

    [Theory]
    [InlineData("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-wrong-one", 400, "invalid_grant")]
    [InlineData("code_verifier", null, 400, "invalid_grant")]
    [InlineData("code_verifier", "short", 400, "invalid_grant")]
    [InlineData("redirect_uri", "http://127.0.0.1:8000/oauth2/other", 400, "invalid_grant")]
    [InlineData("redirect_uri", null, 400, "invalid_grant")]
    [InlineData("code", "not-a-code-we-issued", 400, "invalid_grant")]
    [InlineData("client_id", "someone-else", 401, "invalid_client")]
    [InlineData("client_id", null, 401, "invalid_client")]
    [InlineData("grant_type", "refresh_token", 400, "unsupported_grant_type")]
    public void Exchange_BadField_RefusedAndTheCodeIsSpent(string name, string? value, int status, string error)
    {
        using var bed = DevSignInBed.Create();
        var code = bed.SignIn();

        var result = bed.Server.Exchange(DevSignInBed.Exchange(code, (name, value)));
        var retry = bed.Server.Exchange(DevSignInBed.Exchange(code));

        Assert.Equal(status, result.Status);
        Assert.Equal(error, DevSignInBed.ErrorOf(result));
        Assert.DoesNotContain("id_token", result.Json);
        // A code that reached the check of its binding is spent: a thief gets one try, and so does the client.
        Assert.Equal(name is "code" or "client_id" or "grant_type" ? 200 : 400, retry.Status);
    }

    [Theory]
    [InlineData(null, null, 401)]
    [InlineData("wrong", null, 401)]
    [InlineData("s3cret", null, 200)]
    [InlineData(null, "s3cret", 200)]
    [InlineData(null, "wrong", 401)]
    public void Exchange_WithAClientSecret_RequiredInFormOrBasic(string? formSecret, string? basicSecret, int status)
    {
        using var bed = DevSignInBed.Create(clientSecret: "s3cret");
        var code = bed.SignIn();
        var exchange = DevSignInBed.Exchange(code, ("client_secret", formSecret));
        if (basicSecret is not null)
        {
            exchange = exchange with { BasicClientId = "extauthz-dev", BasicSecret = basicSecret };
        }

        var result = bed.Server.Exchange(exchange);

        Assert.Equal(status, result.Status);
    }

    [Fact]
    public void Exchange_BasicClientDiffersFromFormClient_InvalidClient()
    {
        using var bed = DevSignInBed.Create();
        var code = bed.SignIn();

        var result = bed.Server.Exchange(DevSignInBed.Exchange(code, ("client_id", "someone-else")) with { BasicClientId = "extauthz-dev", BasicSecret = "" });

        Assert.Equal(401, result.Status);
    }

    [Fact]
    public void Authorize_TwoTabsAtOnce_EachFormItsOwnCode()
    {
        using var bed = DevSignInBed.Create();
        var first = bed.Server.Authorize(DevSignInBed.Query(("state", "tab-1"), ("nonce", "n-1"))).Request!;
        var second = bed.Server.Authorize(DevSignInBed.Query(("state", "tab-2"), ("nonce", "n-2"))).Request!;

        var secondCode = DevSignInBed.QueryOf(bed.Server.SignIn(second.Id, second.FormToken, "bob@example.com").RedirectTo!);
        var firstCode = DevSignInBed.QueryOf(bed.Server.SignIn(first.Id, first.FormToken, "alice@example.com").RedirectTo!);
        var firstToken = JsonDocument.Parse(bed.Server.Exchange(DevSignInBed.Exchange(firstCode["code"])).Json).RootElement.GetProperty("id_token").GetString()!;

        Assert.Equal("tab-1", firstCode["state"]);
        Assert.Equal("tab-2", secondCode["state"]);
        Assert.Equal("n-1", DevSignInBed.Payload(firstToken).GetProperty("nonce").GetString());
        Assert.Equal(1, bed.Server.PendingCodes);
    }
}
