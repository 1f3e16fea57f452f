using ExtAuthz.Core.Decisions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Validates a token for one issuer, cheapest checks first: the shape (<see cref="JwsStructure"/>), <c>iss</c>, the
/// algorithm, the times, the claims, the key by <c>kid</c>; then the token library checks the audience and the
/// signature with that key. Every refusal is a detail string that tests assert and the decision log shows.
/// </summary>
internal sealed class IssuerValidator
{
    private static readonly JsonWebTokenHandler s_handler = new();
    private static readonly double MinSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly double MaxSeconds = DateTimeOffset.MaxValue.AddDays(-1).ToUnixTimeSeconds();

    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;
    private readonly UserIdRule _userIds;

    public IssuerValidator(IssuerKeys keys, UserIdRule userIds, TimeProvider time, TimeSpan skew)
    {
        Keys = keys;
        _userIds = userIds;
        _time = time;
        _skew = skew;
    }

    public IssuerKeys Keys { get; }

    public IssuerSettings Settings => Keys.Settings;

    public TokenSource Source => Keys.Settings.Source;

    public TimeSpan Skew => _skew;

    public TokenCheck Validate(string token)
    {
        if (JwsStructure.Check(token) is { } malformed)
        {
            return TokenCheck.Invalid(malformed);
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            // The library's own parse refused what the structure check let through (a claim of a type it rejects).
            return TokenCheck.Invalid("malformed: claims");
        }

        // The issuer first: a token meant for another issuer reads as "issuer", whatever else is wrong with it here.
        if (jwt.Issuer != Settings.Issuer)
        {
            return TokenCheck.OtherIssuer();
        }

        if (CheckAlgorithm(jwt.Alg) is { } badAlg)
        {
            return TokenCheck.Invalid(badAlg);
        }

        if (CheckTimes(jwt) is { } badTime)
        {
            return badTime;
        }

        if (ReadPrincipalClaims(jwt, out var user, out var groups) is { } badClaim)
        {
            return TokenCheck.Invalid(badClaim);
        }

        if (SelectKeys(jwt, out var candidates) is { } noKey)
        {
            return TokenCheck.Invalid(noKey);
        }

        return VerifyWithLibrary(jwt, candidates, user!, groups);
    }

    private string? CheckAlgorithm(string alg)
    {
        alg = DetailText.Safe(alg);
        if (JwtAlgorithms.IsForbidden(alg))
        {
            return alg.Length == 0 ? "alg missing" : alg.Equals("none", StringComparison.OrdinalIgnoreCase) ? "alg none" : $"alg {alg}";
        }

        if (!JwtAlgorithms.IsSupported(alg))
        {
            return $"alg {alg} unsupported";
        }

        return Settings.Algorithms.Contains(alg) ? null : $"alg {alg} not allowed";
    }

    /// <summary>Ours rather than the library's: <c>iat</c> is checked too, and the bound is the one the token cache keeps (exp + skew, exclusive).</summary>
    private TokenCheck? CheckTimes(JsonWebToken jwt)
    {
        if (TokenClaims.ReadTime(jwt, "exp") is not { } exp)
        {
            return TokenCheck.Invalid("no exp");
        }

        var iat = TokenClaims.ReadTime(jwt, "iat");
        if (!IsRepresentable(exp) || (iat is { } issued && !IsRepresentable(issued)))
        {
            return TokenCheck.Invalid("time out of range");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var skew = _skew.TotalSeconds;
        if (now >= exp + skew)
        {
            return TokenCheck.Expired();
        }

        if (TokenClaims.ReadTime(jwt, "nbf") is { } nbf && now < nbf - skew)
        {
            return TokenCheck.Invalid("not yet valid");
        }

        return iat is { } at && now < at - skew ? TokenCheck.Invalid("iat in the future") : null;
    }

    /// <summary>
    /// Within what a <see cref="DateTimeOffset"/> can hold (years 1 to 9999), a day short of its end so exp + skew (at
    /// most ten minutes) still fits: the principal's times and the cache bound can always be built.
    /// </summary>
    private static bool IsRepresentable(double seconds) => seconds >= MinSeconds && seconds <= MaxSeconds;

    private string? ReadPrincipalClaims(JsonWebToken jwt, out string? user, out IReadOnlyList<string> groups)
    {
        groups = [];
        return TokenClaims.ReadUser(jwt, Settings.UserClaim, out user)
            ?? TokenClaims.CheckEmailVerified(jwt)
            ?? TokenClaims.ReadGroups(jwt, Settings.GroupsClaim, out groups)
            ?? _userIds.Check(user);
    }

    /// <summary>
    /// The keys the signature may be checked with: the one named by <c>kid</c>, or without a <c>kid</c> (providers with
    /// a single key sometimes sign so) every key of the issuer that fits the algorithm. A key fits when its type and
    /// curve suit the algorithm and its own <c>alg</c>, when published, is the token's: a key is never used for an
    /// algorithm its owner did not publish it for.
    /// </summary>
    private string? SelectKeys(JsonWebToken jwt, out SigningKey[] candidates)
    {
        candidates = [];
        var set = Keys.Current;
        if (set is null)
        {
            Keys.RequestRefresh();
            return "no keys loaded";
        }

        if (!string.IsNullOrEmpty(jwt.Kid))
        {
            if (!set.ByKeyId.TryGetValue(jwt.Kid, out var named))
            {
                Keys.RequestRefresh();
                return "unknown kid";
            }

            candidates = [named];
        }
        else
        {
            candidates = [.. set.Keys];
        }

        candidates = Array.FindAll(candidates, key => Fits(jwt.Alg, key));
        return candidates.Length == 0 ? "alg does not match key" : null;
    }

    private static bool Fits(string alg, SigningKey key) =>
        JwtAlgorithms.Fits(alg, key.KeyType, key.Curve) && (string.IsNullOrEmpty(key.Key.Alg) || key.Key.Alg == alg);

    private TokenCheck VerifyWithLibrary(JsonWebToken jwt, SigningKey[] candidates, string user, IReadOnlyList<string> groups)
    {
        var settings = Settings;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudiences = settings.Audiences,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidAlgorithms = settings.Algorithms,
            IssuerSigningKeys = Array.ConvertAll(candidates, key => key.SecurityKey),
            TryAllIssuerSigningKeys = true,
            ValidateLifetime = false,
            ValidateSignatureLast = true,
            RequireSignedTokens = true,
            LogValidationExceptions = false,
        };
        var result = s_handler.ValidateTokenAsync(jwt, parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            return TokenCheck.Invalid(Describe(result.Exception));
        }

        var key = Array.Find(candidates, k => ReferenceEquals(k.SecurityKey, jwt.SigningKey))
            ?? throw new InvalidOperationException("the token library validated with a key it was not given");
        var exp = TokenClaims.ReadTime(jwt, "exp")!.Value;
        var iat = TokenClaims.ReadTime(jwt, "iat");
        var principal = new Principal(
            settings.Issuer, user, settings.UserIdPrefix + user, groups,
            DateTimeOffset.FromUnixTimeMilliseconds((long)(exp * 1000)),
            iat is { } issued ? DateTimeOffset.FromUnixTimeMilliseconds((long)(issued * 1000)) : null,
            key.KeyId, string.IsNullOrEmpty(jwt.Id) ? null : jwt.Id);
        return new TokenCheck(principal, key, ReasonCode.Authenticated, null, exp);
    }

    /// <summary>
    /// The library's refusal as a detail: its exception type, never its message (which may quote the token). Issuer
    /// and algorithm were checked before the library was asked, so only the audience and the signature remain.
    /// </summary>
    private static string Describe(Exception? refusal) => refusal switch
    {
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "signature",
        _ => "refused: " + refusal?.GetType().Name,
    };
}
