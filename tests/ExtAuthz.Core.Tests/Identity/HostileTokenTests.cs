using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Testing.Tokens;

namespace ExtAuthz.Core.Tests.Identity;

/// <summary>Every hostile token of hostile-tokens.json gets its expected reason and detail; new cases are data.</summary>
public sealed class HostileTokenTests
{
    private static readonly JsonArray s_cases = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Identity", "hostile-tokens.json")))!.AsArray();

    public static TheoryData<string> Cases => [.. s_cases.Select(c => c!["name"]!.GetValue<string>())];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Authenticate_HostileToken_ExpectedReasonAndDetail(string name)
    {
        var spec = s_cases.Single(c => c!["name"]!.GetValue<string>() == name)!.AsObject();
        using var bed = IdentityTestBed.Create();
        var token = Build(bed, spec);
        var input = (string?)spec["source"] == "iap" ? bed.Request(iap: token) : bed.Request(bearer: token);

        var result = bed.Authenticator.Authenticate(input);

        Assert.Equal((string)spec["reason"]!, result.Succeeded ? "authenticated" : result.Failure.ToWire());
        Assert.Equal((string?)spec["detail"], result.Detail);
        if (!result.Succeeded)
        {
            Assert.Equal(0, bed.Authenticator.Cache.Count);
        }
    }

    [Fact]
    public void Authenticate_SameHostileTokenTwice_NeverServedFromCache()
    {
        using var bed = IdentityTestBed.Create();
        var token = TestJwt.Sign(IdentityTestBed.Impostor, bed.DexClaims());

        var first = bed.Authenticator.Authenticate(bed.Request(bearer: token));
        var second = bed.Authenticator.Authenticate(bed.Request(bearer: token));

        Assert.Equal(ReasonCode.InvalidToken, first.Failure);
        Assert.Equal(ReasonCode.InvalidToken, second.Failure);
        Assert.Equal("signature", second.Detail);
        Assert.Equal(0, bed.Authenticator.Cache.Count);
    }

    private static string Build(IdentityTestBed bed, JsonObject spec)
    {
        var iap = (string?)spec["shape"] == "iap";
        var key = iap ? bed.IapKey : bed.DexKey;
        var claims = iap ? bed.IapClaims() : bed.DexClaims();
        foreach (var (claim, value) in spec["claims"]?.AsObject() ?? [])
        {
            claims[claim] = Resolve(bed, value);
        }

        var header = new JsonObject { ["alg"] = key.Algorithm, ["typ"] = "JWT", ["kid"] = key.KeyId };
        foreach (var (name, value) in spec["header"]?.AsObject() ?? [])
        {
            header[name] = value?.DeepClone();
        }

        var headerJson = (string?)spec["rawHeader"] ?? TestJwt.Prune(header).ToJsonString();
        var payloadJson = (string?)spec["rawPayload"] is { } raw
            ? raw.Replace("$iss", IdentityTestBed.DexIssuer).Replace("$aud", IdentityTestBed.DexAudience)
                .Replace("$exp", (bed.Now + 3600).ToString()).Replace("$now", bed.Now.ToString())
            : TestJwt.Prune(claims).ToJsonString();

        Func<byte[], byte[]>? signer = (string?)spec["signer"] switch
        {
            "none" => null,
            "hmac-public-key" => TestJwt.Hmac(key.PublicKeyBytes),
            "impostor" => IdentityTestBed.Impostor.Sign,
            _ => key.Sign,
        };
        var token = TestJwt.SignRaw(headerJson, payloadJson, signer);
        return Transform(bed, token, (string?)spec["transform"]);
    }

    private static JsonNode? Resolve(IdentityTestBed bed, JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.StartsWith("now", StringComparison.Ordinal))
        {
            return bed.Now + long.Parse(text[3..]);
        }

        return value?.DeepClone();
    }

    private static string Transform(IdentityTestBed bed, string token, string? transform)
    {
        var parts = token.Split('.');
        return transform switch
        {
            null => token,
            "oversize" => bed.DexToken(c => c["padding"] = new string('x', bed.Options.Identity.MaxTokenBytes)),
            "bad-base64" => "eyJhbGciOi*JSUzI1NiJ9." + parts[1] + "." + parts[2],
            "padded" => parts[0] + "=." + parts[1] + "." + parts[2],
            "two-segments" => parts[0] + "." + parts[1],
            "four-segments" => token + "." + parts[2],
            "jwe" => parts[0] + ".." + parts[1] + "." + parts[2] + ".tag",
            "invalid-utf8-name" => parts[0] + "." + Base64Url.EncodeToString([.. "{\""u8, 0xff, .. "\":1}"u8]) + "." + parts[2],
            "empty-payload" => parts[0] + ".." + parts[2],
            "empty-header" => "." + parts[1] + "." + parts[2],
            "swap-signature" => parts[0] + "." + parts[1] + "." + bed.DexToken(c => c["email"] = "admin@example.com").Split('.')[2],
            _ => throw new ArgumentException($"unknown transform {transform}"),
        };
    }
}
