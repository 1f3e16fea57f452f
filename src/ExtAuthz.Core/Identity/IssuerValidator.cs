using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ExtAuthz.Core.Decisions;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Validates a token for one issuer, cheapest checks first: structure and claims (<see cref="JwtReader"/>), <c>iss</c>,
/// the algorithm, <c>aud</c>, the times, then the key by <c>kid</c> and the signature. The token library reads the
/// key sets; the signature is checked here with each key imported once, because through the library's handler first
/// sight of a token cost about twice the signature check itself (see src/ExtAuthz.Core/Identity/README.md).
/// </summary>
internal sealed class IssuerValidator
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;

    public IssuerValidator(IssuerKeys keys, TimeProvider time, TimeSpan skew)
    {
        Keys = keys;
        _time = time;
        _skew = skew;
    }

    public IssuerKeys Keys { get; }

    public IssuerSettings Settings => Keys.Settings;

    public TokenSource Source => Keys.Settings.Source;

    public TimeSpan Skew => _skew;

    public TokenCheck Validate(string token)
    {
        var settings = Settings;
        var jwt = JwtReader.Read(token, settings.UserClaim, settings.GroupsClaim, out var detail);
        if (jwt is null)
        {
            return TokenCheck.Invalid(detail!);
        }

        // The issuer first: a token meant for another issuer reads as "issuer", whatever else is wrong with it here.
        if (jwt.Issuer != settings.Issuer)
        {
            return TokenCheck.Invalid("issuer");
        }

        if (CheckAlgorithm(jwt.Algorithm) is { } badAlg)
        {
            return TokenCheck.Invalid(badAlg);
        }

        if (!jwt.Audiences.Any(settings.Audiences.Contains))
        {
            return TokenCheck.Invalid("audience");
        }

        if (CheckTimes(jwt) is { } badTime)
        {
            return badTime;
        }

        if (CheckUser(jwt.User) is { } badUser)
        {
            return TokenCheck.Invalid(badUser);
        }

        return VerifySignature(token, jwt);
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

    private TokenCheck? CheckTimes(JwtContents jwt)
    {
        if (jwt.ExpiresAt is not { } exp)
        {
            return TokenCheck.Invalid("no exp");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var skew = _skew.TotalSeconds;
        if (now >= exp + skew)
        {
            return TokenCheck.Expired();
        }

        if (jwt.NotBefore is { } nbf && now < nbf - skew)
        {
            return TokenCheck.Invalid("not yet valid");
        }

        if (jwt.IssuedAt is { } iat && now < iat - skew)
        {
            return TokenCheck.Invalid("iat in the future");
        }

        return null;
    }

    private string? CheckUser(string? user)
    {
        var claim = Settings.UserClaim;
        if (user is null)
        {
            return $"{claim} missing";
        }

        if (user.Length == 0 || user.Length > 1024)
        {
            return $"{claim} empty or too long";
        }

        // The id goes into a request header: a control character could split or forge it.
        return user.Any(char.IsControl) ? $"{claim} has control characters" : null;
    }

    private TokenCheck VerifySignature(string token, JwtContents jwt)
    {
        var set = Keys.Current;
        if (set is null)
        {
            Keys.RequestRefresh();
            return TokenCheck.Invalid("no keys loaded");
        }

        if (jwt.KeyId is { } kid)
        {
            if (!set.ByKeyId.TryGetValue(kid, out var key))
            {
                Keys.RequestRefresh();
                return TokenCheck.Invalid("unknown kid");
            }

            return Fits(jwt.Algorithm, key) ? Verify(token, jwt, key) : TokenCheck.Invalid("alg does not match key");
        }

        // No kid: try the issuer's keys of the matching type, as providers with a single key sometimes sign.
        TokenCheck? last = null;
        foreach (var candidate in set.Keys)
        {
            if (!Fits(jwt.Algorithm, candidate))
            {
                continue;
            }

            var check = Verify(token, jwt, candidate);
            if (check.Principal is not null)
            {
                return check;
            }

            last = check;
        }

        return last ?? TokenCheck.Invalid("alg does not match key");
    }

    private static bool Fits(string alg, SigningKey key) =>
        JwtAlgorithms.Fits(alg, key.KeyType, key.Curve) && (string.IsNullOrEmpty(key.Key.Alg) || key.Key.Alg == alg);

    private TokenCheck Verify(string token, JwtContents jwt, SigningKey key)
    {
        if (!SignatureHolds(token, jwt.Algorithm, key))
        {
            return TokenCheck.Invalid("signature");
        }

        var settings = Settings;
        var principal = new Principal(
            settings.Issuer, jwt.User!, settings.UserIdPrefix + jwt.User, jwt.Groups,
            DateTimeOffset.FromUnixTimeMilliseconds((long)(jwt.ExpiresAt!.Value * 1000)),
            jwt.IssuedAt is { } iat ? DateTimeOffset.FromUnixTimeMilliseconds((long)(iat * 1000)) : null,
            key.KeyId, jwt.TokenId);
        return new TokenCheck(principal, key, ReasonCode.Authenticated, null, jwt.ExpiresAt.Value);
    }

    /// <summary>The JWS signature (third segment) over the first two segments, as sent.</summary>
    private static bool SignatureHolds(string token, string alg, SigningKey key)
    {
        var dot = token.LastIndexOf('.');
        var signatureText = token.AsSpan(dot + 1);
        var signingInput = token.AsSpan(0, dot);
        var buffer = ArrayPool<byte>.Shared.Rent(signingInput.Length + Base64Url.GetMaxDecodedLength(signatureText.Length));
        try
        {
            var input = buffer.AsSpan(0, Encoding.ASCII.GetBytes(signingInput, buffer));
            var rest = buffer.AsSpan(input.Length);
            if (signatureText.IsEmpty || Base64Url.DecodeFromChars(signatureText, rest, out var consumed, out var written) != OperationStatus.Done
                || consumed != signatureText.Length)
            {
                return false;
            }

            return key.Verify(alg, input, rest[..written]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
