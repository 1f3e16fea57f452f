using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Server.Tests.Identity;

/// <summary>An IAP-shaped and a Dex-shaped issuer side by side, each with its own token source.</summary>
public sealed class IapAndDexTests
{
    private const string Path = "/pipeline/apis/v2beta1/runs?namespace=alice";

    [Fact]
    public async Task Check_IapAssertion_ValidatedWithPrefixedUser()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        await KeyWait.LoadedAsync(host.Runtime.Keys[1]);

        var answer = CheckAnswer.From(await host.CheckAsync(Path, ("x-goog-iap-jwt-assertion", issuers.IapToken())));

        Assert.Equal(new CheckAnswer(403, "no_access", "no access index has loaded", "bob@example.com"), answer);
    }

    [Fact]
    public async Task Check_IapAssertionAndUnrelatedBearer_IapPrincipal()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);
        await KeyWait.LoadedAsync(host.Runtime.Keys[1]);
        using var elsewhere = TestKey.Rsa("app-key");
        var unrelated = TestJwt.Sign(elsewhere, new() { ["iss"] = "https://login.app.example", ["aud"] = "app", ["exp"] = issuers.Now + 60 });

        var answer = CheckAnswer.From(await host.CheckAsync(Path,
            ("authorization", "Bearer " + unrelated), ("x-goog-iap-jwt-assertion", issuers.IapToken())));

        Assert.Equal((403, "bob@example.com"), (answer.Status, answer.User));
    }

    [Fact]
    public async Task Check_DexAndIapBothValid_FirstIssuerWins()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);
        await KeyWait.LoadedAsync(host.Runtime.Keys[1]);

        var answer = CheckAnswer.From(await host.CheckAsync(Path,
            ("authorization", "Bearer " + issuers.DexToken()), ("x-goog-iap-jwt-assertion", issuers.IapToken())));

        Assert.Equal("alice@example.com", answer.User);
    }

    [Fact]
    public async Task Check_TokensInEachOthersSource_Refused()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);
        await KeyWait.LoadedAsync(host.Runtime.Keys[1]);

        var iapInBearer = CheckAnswer.From(await host.CheckAsync(Path, ("authorization", "Bearer " + issuers.IapToken())));
        var dexInIap = CheckAnswer.From(await host.CheckAsync(Path, ("x-goog-iap-jwt-assertion", issuers.DexToken())));

        Assert.Equal((401, "invalid_token", "issuer"), (iapInBearer.Status, iapInBearer.Reason, iapInBearer.Detail));
        Assert.Equal((401, "invalid_token", "issuer"), (dexInIap.Status, dexInIap.Reason, dexInIap.Detail));
    }

    [Fact]
    public async Task Check_NoTokenOrBadToken_ChallengeWithoutEchoingTheToken()
    {
        await using var issuers = new HostedIssuers();
        await using var host = await issuers.StartHostAsync();
        await KeyWait.LoadedAsync(host.Runtime.Keys[0]);
        var expired = issuers.DexToken();
        issuers.Time.Advance(TimeSpan.FromHours(2));

        var none = await host.CheckAsync(Path);
        var bad = await host.CheckAsync(Path, ("authorization", "Bearer " + expired));

        Assert.Equal("Bearer realm=\"kubeflow\"", Header(none, "www-authenticate"));
        Assert.Equal("missing_token", CheckAnswer.From(none).Reason);
        Assert.Equal("Bearer realm=\"kubeflow\", error=\"invalid_token\", error_description=\"token_expired\"", Header(bad, "www-authenticate"));
        Assert.Equal("{\"error\":\"unauthenticated\",\"reason\":\"token_expired\"}", bad.DeniedResponse.Body);
        Assert.DoesNotContain(expired.Split('.')[2], bad.ToString());
    }

    private static string Header(Envoy.Service.Auth.V3.CheckResponse response, string name) =>
        response.DeniedResponse.Headers.Single(h => h.Header.Key == name).Header.Value;
}
