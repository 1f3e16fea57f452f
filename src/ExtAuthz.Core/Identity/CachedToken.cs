namespace ExtAuthz.Core.Identity;

/// <summary>A validated token's principal, with what decides on each hit whether it may still be served.</summary>
internal sealed class CachedToken
{
    public CachedToken(string token, Principal principal, TokenSource source, SigningKey key, long notAfterUtcTicks)
    {
        Token = token;
        Principal = principal;
        Source = source;
        Key = key;
        NotAfterUtcTicks = notAfterUtcTicks;
        EstimatedBytes = Estimate(token, principal);
    }

    public string Token { get; }

    public Principal Principal { get; }

    /// <summary>Where the token was found; a hit counts only when the token came from the same place.</summary>
    public TokenSource Source { get; }

    public SigningKey Key { get; }

    /// <summary>exp + clock skew, in UTC ticks.</summary>
    public long NotAfterUtcTicks { get; }

    public int EstimatedBytes { get; }

    public bool IsServableAt(long nowUtcTicks) => nowUtcTicks < NotAfterUtcTicks && !Key.IsWithdrawn;

    /// <summary>Strings (two bytes a char) plus a rough allowance for the objects and the dictionary node.</summary>
    private static int Estimate(string token, Principal principal)
    {
        var chars = token.Length + principal.UserId.Length + principal.UserIdHeaderValue.Length + (principal.GroupsHeaderValue?.Length ?? 0);
        foreach (var group in principal.Groups)
        {
            chars += group.Length + 12;
        }

        return (chars * 2) + 400;
    }
}
