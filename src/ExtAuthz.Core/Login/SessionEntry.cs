using ExtAuthz.Core.Identity;

namespace ExtAuthz.Core.Login;

/// <summary>
/// A verified session cookie as this replica keeps it warm: the principal built once, the times that decide whether
/// it may still be served without the store, and what the answer forwards upstream. Shared by concurrent Checks:
/// only <see cref="LastSeenTicks"/> and the cookie memo change, each by a single atomic write.
/// </summary>
internal sealed class SessionEntry
{
    private long _lastSeenTicks;
    private UpstreamCookieMemo? _cookieMemo;

    public SessionEntry(string cookieValue, string idHash, Principal principal, SessionPayload payload, long staleAfterTicks, string? forwardAuthorization)
    {
        CookieValue = cookieValue;
        IdHash = idHash;
        Principal = principal;
        Payload = payload;
        ExpiresTicks = payload.Expires.UtcTicks;
        StaleAfterTicks = staleAfterTicks;
        ForwardAuthorization = forwardAuthorization;
        _lastSeenTicks = payload.LastSeen.UtcTicks;
    }

    /// <summary>The cookie value (id and MAC) this entry was verified from: the cache key.</summary>
    public string CookieValue { get; }

    public string IdHash { get; }

    public Principal Principal { get; }

    public SessionPayload Payload { get; }

    public long ExpiresTicks { get; }

    /// <summary>After this the store is read again (idle time seen elsewhere, a refresh made elsewhere).</summary>
    public long StaleAfterTicks { get; }

    /// <summary><c>Bearer &lt;ID token&gt;</c> when <c>Login:ForwardIdToken</c> is on; else null.</summary>
    public string? ForwardAuthorization { get; }

    public long LastSeenTicks => Volatile.Read(ref _lastSeenTicks);

    /// <summary>Notes a use; written at most once a second so concurrent Checks do not fight over the cache line.</summary>
    public void Seen(long nowTicks)
    {
        if (nowTicks - Volatile.Read(ref _lastSeenTicks) > TimeSpan.TicksPerSecond)
        {
            Volatile.Write(ref _lastSeenTicks, nowTicks);
        }
    }

    /// <summary>The cookie header to send upstream for this raw header: computed once per distinct header, then reused.</summary>
    public string UpstreamCookie(string rawHeader, Func<string, string> filter)
    {
        var memo = Volatile.Read(ref _cookieMemo);
        if (memo is not null && ReferenceEquals(memo.Raw, rawHeader))
        {
            return memo.Filtered;
        }

        if (memo is not null && string.Equals(memo.Raw, rawHeader, StringComparison.Ordinal))
        {
            return memo.Filtered;
        }

        var created = new UpstreamCookieMemo(rawHeader, filter(rawHeader));
        Volatile.Write(ref _cookieMemo, created);
        return created.Filtered;
    }

    private sealed record UpstreamCookieMemo(string Raw, string Filtered);
}
