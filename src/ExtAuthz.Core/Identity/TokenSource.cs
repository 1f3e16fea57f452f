using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// Where one issuer's token is carried: <c>Authorization: Bearer</c>, another header (such as IAP's
/// <c>x-goog-iap-jwt-assertion</c>), or a cookie. Issuers that read the same place share one instance, so the
/// authenticator can tell that two issuers saw the same token.
/// </summary>
internal sealed class TokenSource : IEquatable<TokenSource>
{
    private const string BearerPrefix = "Bearer ";

    private TokenSource(TokenSourceKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public TokenSourceKind Kind { get; }

    /// <summary>The header name (lower case) or the cookie name (case-sensitive, as browsers treat it).</summary>
    public string Name { get; }

    /// <summary>The header slot read; the cookie slot for a cookie source. Set once the slots are known.</summary>
    public int Slot { get; private set; } = -1;

    public static TokenSource Header(string name)
    {
        var lower = name.ToLowerInvariant();
        return new TokenSource(lower == "authorization" ? TokenSourceKind.Bearer : TokenSourceKind.Header, lower);
    }

    public static TokenSource Cookie(string name) => new(TokenSourceKind.Cookie, name);

    /// <summary>The header a request reader must keep for this source.</summary>
    public string HeaderName => Kind == TokenSourceKind.Cookie ? "cookie" : Name;

    public void Bind(HeaderSlots slots)
    {
        Slot = slots.SlotOf(HeaderName);
        if (Slot < 0)
        {
            throw new InvalidOperationException($"header '{HeaderName}' has no slot; register it in HeaderSlots");
        }
    }

    /// <summary>The token this source carries in the request, without copying it; false when there is none.</summary>
    public bool TryGetToken(CheckInput input, out ReadOnlySpan<char> token)
    {
        token = default;
        var value = input.GetHeader(Slot);
        if (value is null)
        {
            return false;
        }

        token = Kind switch
        {
            TokenSourceKind.Cookie => CookieReader.Find(value, Name),
            _ => StripBearer(value.AsSpan().Trim()),
        };
        return !token.IsEmpty;
    }

    /// <summary>
    /// <c>Bearer x</c> → x; a header that is not a Bearer credential (Basic, say) carries no token. Other headers may
    /// carry the bare token or a Bearer one.
    /// </summary>
    private ReadOnlySpan<char> StripBearer(ReadOnlySpan<char> value)
    {
        if (value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return value[BearerPrefix.Length..].TrimStart(' ');
        }

        return Kind == TokenSourceKind.Bearer ? default : value;
    }

    public bool Equals(TokenSource? other) => other is not null && Kind == other.Kind && Name == other.Name;

    public override bool Equals(object? obj) => Equals(obj as TokenSource);

    public override int GetHashCode() => HashCode.Combine(Kind, Name);

    public override string ToString() => Kind switch
    {
        TokenSourceKind.Bearer => "authorization: Bearer",
        TokenSourceKind.Cookie => $"cookie {Name}",
        _ => $"header {Name}",
    };
}

internal enum TokenSourceKind
{
    Bearer,
    Header,
    Cookie,
}
