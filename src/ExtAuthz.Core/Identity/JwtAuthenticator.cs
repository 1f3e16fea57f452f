using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Step 5 over several issuers. Each issuer reads only its own source; the first token that validates (in issuer
/// order) wins. A token seen before is answered from <see cref="TokenCache"/> after one lookup and a clock read.
/// With no success, the answer is the first failure — preferring one from an issuer the token actually named over
/// a mere "issuer" mismatch, so an expired token reads as expired even when another issuer shares its source.
/// </summary>
internal sealed class JwtAuthenticator : IAuthenticator
{
    private readonly IssuerValidator[] _issuers;
    private readonly TokenCache _cache;
    private readonly TimeProvider _time;
    private readonly int _maxTokenChars;

    public JwtAuthenticator(IReadOnlyList<IssuerValidator> issuers, TokenCache cache, TimeProvider time, int maxTokenBytes)
    {
        _issuers = [.. issuers];
        _cache = cache;
        _time = time;
        _maxTokenChars = maxTokenBytes;
    }

    public IReadOnlyList<IssuerValidator> Issuers => _issuers;

    public TokenCache Cache => _cache;

    public AuthenticationResult Authenticate(CheckInput input)
    {
        TokenCheck? failure = null;
        foreach (var issuer in _issuers)
        {
            if (!issuer.Source.TryGetToken(input, out var token))
            {
                continue;
            }

            // A JWT is ASCII, so its length in chars is its length in bytes; refused unread.
            if (token.Length > _maxTokenChars)
            {
                failure ??= TokenCheck.Invalid("oversized");
                continue;
            }

            if (_cache.Find(token) is { } cached && cached.Source.Equals(issuer.Source))
            {
                if (cached.IsServableAt(_time.GetUtcNow().UtcTicks))
                {
                    _cache.CountHit();
                    return AuthenticationResult.Success(cached.Principal);
                }

                _cache.Remove(cached);
            }

            _cache.CountMiss();
            var text = token.ToString();
            var check = issuer.Validate(text);
            if (check.Principal is { } principal)
            {
                var notAfter = DateTimeOffset.FromUnixTimeMilliseconds((long)(check.ExpiresAt * 1000)) + issuer.Skew;
                _cache.Add(new CachedToken(text, principal, issuer.Source, check.Key!, notAfter.UtcTicks));
                return AuthenticationResult.Success(principal);
            }

            if (failure is null || (failure.Value.IsIssuerMismatch && !check.IsIssuerMismatch))
            {
                failure = check;
            }
        }

        return failure is { } f ? AuthenticationResult.Fail(f.Failure, f.Detail!) : AuthenticationResult.Missing;
    }
}
