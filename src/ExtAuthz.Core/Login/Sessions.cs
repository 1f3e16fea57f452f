using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;

namespace ExtAuthz.Core.Login;

/// <summary>
/// Browser sessions: the cookie is <c>&lt;id&gt;.&lt;mac&gt;</c> (32 random bytes and an HMAC of them, base64url, never a
/// token); the session itself is in <see cref="ISessionStore"/> under the id's hash, sealed with a key derived from the
/// key ring and the id. A warm cookie is answered from <see cref="SessionCache"/> by <see cref="Probe"/> without a MAC,
/// a decryption or the store; a cookie this replica has not seen (or saw more than <c>Login:Session:CacheTtl</c> ago)
/// costs one bounded store read in <see cref="LoadAsync"/>.
/// </summary>
internal sealed class Sessions
{
    private const string MacPurpose = "session-cookie";
    private const string SealPurpose = "session";
    private const int IdBytes = 32;
    private const int IdChars = 43;

    private readonly LoginSettings _settings;
    private readonly KeyRing _ring;
    private readonly TimeProvider _time;
    private readonly OidcClient? _provider;
    private readonly IdTokenValidator? _idTokens;
    private readonly Dictionary<string, Task> _refreshing = new(StringComparer.Ordinal);
    private readonly IRefreshLock? _refreshLock;

    public Sessions(LoginSettings settings, KeyRing ring, ISessionStore store, TimeProvider time, OidcClient? provider = null, IdTokenValidator? idTokens = null,
        IRefreshLock? refreshLock = null)
    {
        _settings = settings;
        _ring = ring;
        Store = store;
        _time = time;
        _provider = provider;
        _idTokens = idTokens;
        _refreshLock = refreshLock;
        Cache = new SessionCache(settings.CacheMaxEntries, time);
    }

    public ISessionStore Store { get; }

    public SessionCache Cache { get; }

    /// <summary>
    /// The hot path: when the request's session cookie is warm, sets <see cref="CheckInput.Session"/> and returns null;
    /// when there is a session cookie to load, returns its value; when there is none, returns null and sets nothing.
    /// </summary>
    public string? Probe(CheckInput input)
    {
        var header = input.GetHeader(HeaderSlots.Cookie);
        if (header is null)
        {
            return null;
        }

        var value = CookieReader.Find(header, _settings.SessionCookie);
        if (value.IsEmpty)
        {
            return null;
        }

        if (Cache.Find(value) is { } entry)
        {
            var now = _time.GetUtcNow().UtcTicks;
            if (now < entry.StaleAfterTicks && IsServable(entry, now))
            {
                entry.Seen(now);
                input.Session = entry;
                return null;
            }
        }

        return value.ToString();
    }

    /// <summary>Resolves <paramref name="cookie"/> into <see cref="CheckInput.Session"/>: an entry or a refusal. Never throws for bad input.</summary>
    public async ValueTask LoadAsync(CheckInput input, string cookie, CancellationToken cancellationToken)
    {
        input.Session = await ResolveAsync(cookie, cancellationToken);
    }

    /// <summary>The session of the request's cookie (warm or loaded), or null when it has none that is valid.</summary>
    public async ValueTask<SessionEntry?> FindAsync(CheckInput input, CancellationToken cancellationToken)
    {
        if (input.Session is null && Probe(input) is { } cold)
        {
            await LoadAsync(input, cold, cancellationToken);
        }

        return input.Session as SessionEntry;
    }

    /// <summary>A new session (a new id, never one the browser sent) for the user of a validated ID token.</summary>
    public async ValueTask<string> CreateAsync(Principal user, TokenResponse tokens, CancellationToken cancellationToken)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(IdBytes));
        var cookie = id + "." + Base64Url.EncodeToString(_ring.Sign(MacPurpose, Encoding.ASCII.GetBytes(id)));
        var now = _time.GetUtcNow();
        var payload = new SessionPayload
        {
            Issuer = user.Issuer,
            UserId = user.UserId,
            Groups = user.Groups,
            Created = now,
            Expires = now + _settings.SessionLifetime,
            LastSeen = now,
            IdToken = tokens.IdToken,
            IdTokenExpires = user.Expires,
            RefreshToken = tokens.RefreshToken,
        };
        var idHash = KeyRing.Hash(id);
        await SaveAsync(id, idHash, payload, cancellationToken);
        Cache.Add(Entry(cookie, idHash, payload));
        return cookie;
    }

    /// <summary>Ends a session in the store and in this replica's cache (other replicas learn it from a revocation).</summary>
    public async ValueTask EndAsync(SessionEntry session, CancellationToken cancellationToken)
    {
        Cache.RemoveSession(session.IdHash);
        using var bound = Bound(cancellationToken);
        try
        {
            await Store.DeleteAsync(session.IdHash, bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoginStoreUnavailableException("session store: no answer in time");
        }
    }

    /// <summary>Ends every session of a user in the store (<c>revoke --user</c>); their warm copies fall to the revocation.</summary>
    public async ValueTask<int> EndUserAsync(string userId, CancellationToken cancellationToken)
    {
        using var bound = Bound(cancellationToken);
        return await Store.DeleteUserAsync(userId, bound.Token);
    }

    private bool IsServable(SessionEntry entry, long nowTicks) =>
        nowTicks < entry.ExpiresTicks && (_settings.IdleTimeout <= TimeSpan.Zero || nowTicks - entry.LastSeenTicks < _settings.IdleTimeout.Ticks);

    private async ValueTask<object> ResolveAsync(string cookie, CancellationToken cancellationToken)
    {
        if (ParseId(cookie) is not { } id)
        {
            return SessionRefusal.Forged;
        }

        var idHash = KeyRing.Hash(id);
        var warm = Cache.Find(cookie);
        StoredSession? stored;
        try
        {
            using var bound = Bound(cancellationToken);
            stored = await Store.GetAsync(idHash, bound.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store is away (or failed in a way its contract does not name): a session this replica already
            // verified keeps working until it ends; any other is refused with 503, never an RPC error.
            return warm is not null && IsServable(warm, _time.GetUtcNow().UtcTicks) ? warm : SessionRefusal.Unavailable;
        }

        if (stored is null)
        {
            Cache.Remove(cookie);
            return warm is not null && warm.ExpiresTicks <= _time.GetUtcNow().UtcTicks ? SessionRefusal.Expired : SessionRefusal.Unknown;
        }

        if (_ring.Open(SealPurpose, Encoding.ASCII.GetBytes(id), stored.Sealed) is not { } plain || SessionPayload.FromUtf8(plain) is not { } payload)
        {
            return SessionRefusal.Unreadable;
        }

        var now = _time.GetUtcNow();
        if (now >= payload.Expires)
        {
            Cache.Remove(cookie);
            return SessionRefusal.Expired;
        }

        var lastSeen = warm is not null && warm.LastSeenTicks > payload.LastSeen.UtcTicks ? new DateTimeOffset(warm.LastSeenTicks, TimeSpan.Zero) : payload.LastSeen;
        if (_settings.IdleTimeout > TimeSpan.Zero && now - lastSeen >= _settings.IdleTimeout)
        {
            Cache.Remove(cookie);
            return SessionRefusal.Idle;
        }

        payload = payload with { LastSeen = lastSeen };
        payload = await RefreshIfDueAsync(id, idHash, payload, now, cancellationToken) ?? payload;
        if (payload.RefreshToken is null && _settings.Refresh && payload.IdTokenExpires <= now)
        {
            return SessionRefusal.Expired;
        }

        // The idle clock is shared through the store, written at most every quarter of the idle limit.
        if (_settings.IdleTimeout > TimeSpan.Zero && now - payload.LastSeen >= _settings.IdleTimeout / 4)
        {
            payload = payload with { LastSeen = now };
            await TrySaveAsync(id, idHash, payload, cancellationToken);
        }

        var entry = Entry(cookie, idHash, payload);
        Cache.Add(entry);
        return entry;
    }

    /// <summary>
    /// With refresh on and the ID token close to its end: one refresh per session at a time in this process (others
    /// wait for it and read its result), and with a <see cref="IRefreshLock"/> one across replicas: a replica that
    /// finds another refreshing keeps the session as it is (its ID token is still valid) and reads the refreshed one
    /// from the store once its cached copy ages out.
    /// </summary>
    private async ValueTask<SessionPayload?> RefreshIfDueAsync(string id, string idHash, SessionPayload payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_settings.Refresh || payload.RefreshToken is null || _provider is null || _idTokens is null
            || payload.IdTokenExpires - now > _settings.RefreshBefore)
        {
            return null;
        }

        Task? running;
        TaskCompletionSource? mine = null;
        lock (_refreshing)
        {
            if (!_refreshing.TryGetValue(idHash, out running))
            {
                mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _refreshing[idHash] = mine.Task;
            }
        }

        if (mine is null)
        {
            await running!.WaitAsync(cancellationToken);
            return null;
        }

        IAsyncDisposable? hold = null;
        try
        {
            if (_refreshLock is not null)
            {
                hold = await _refreshLock.TryAcquireAsync(idHash, _settings.TokenTimeout + _settings.StoreTimeout + TimeSpan.FromSeconds(5), cancellationToken);
                if (hold is null)
                {
                    return null;
                }
            }

            var tokens = await _provider.RefreshAsync(payload.RefreshToken, cancellationToken);
            var (principal, _) = _idTokens.Validate(tokens.IdToken, expectedNonce: null);
            if (principal is null)
            {
                return payload with { RefreshToken = null };
            }

            var refreshed = payload with
            {
                IdToken = tokens.IdToken,
                IdTokenExpires = principal.Expires,
                Groups = principal.Groups,
                RefreshToken = tokens.RefreshToken ?? payload.RefreshToken,
            };
            await TrySaveAsync(id, idHash, refreshed, cancellationToken);
            return refreshed;
        }
        catch (ProviderException ex) when (ex.Rejected)
        {
            // The grant is dead (revoked at the provider, or claimed by someone else): the session ends with the ID token.
            return payload with { RefreshToken = null };
        }
        catch (ProviderException)
        {
            return null;
        }
        catch (LoginStoreUnavailableException)
        {
            // Nobody can say whether another replica is refreshing: keep the session as it is, and try again later.
            return null;
        }
        finally
        {
            if (hold is not null)
            {
                await hold.DisposeAsync();
            }

            lock (_refreshing)
            {
                _refreshing.Remove(idHash);
            }

            mine.TrySetResult();
        }
    }

    private SessionEntry Entry(string cookie, string idHash, SessionPayload payload)
    {
        var principal = new Principal(payload.Issuer, payload.UserId, _settings.UserIdPrefix + payload.UserId, payload.Groups,
            payload.Expires, payload.Created, keyId: null, tokenId: "session:" + idHash);
        var staleAfter = (_time.GetUtcNow() + _settings.CacheTtl).UtcTicks;
        return new SessionEntry(cookie, idHash, principal, payload, staleAfter, _settings.ForwardIdToken ? "Bearer " + payload.IdToken : null);
    }

    private async ValueTask SaveAsync(string id, string idHash, SessionPayload payload, CancellationToken cancellationToken)
    {
        var sealedPayload = _ring.Seal(SealPurpose, Encoding.ASCII.GetBytes(id), payload.ToUtf8());
        using var bound = Bound(cancellationToken);
        try
        {
            await Store.SaveAsync(new StoredSession(idHash, payload.UserId, payload.Expires, sealedPayload), bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoginStoreUnavailableException("session store: no answer in time");
        }
    }

    private async ValueTask TrySaveAsync(string id, string idHash, SessionPayload payload, CancellationToken cancellationToken)
    {
        try
        {
            await SaveAsync(id, idHash, payload, cancellationToken);
        }
        catch (LoginStoreUnavailableException)
        {
            // Only the shared idle clock or a refreshed token is lost; this replica serves the session as it knows it.
        }
    }

    private CancellationTokenSource Bound(CancellationToken cancellationToken)
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_settings.StoreTimeout);
        return bound;
    }

    /// <summary>The id of a well-formed cookie whose MAC verifies with some key of the ring; null otherwise.</summary>
    private string? ParseId(string cookie)
    {
        var dot = cookie.IndexOf('.');
        if (dot != IdChars || cookie.Length > 128)
        {
            return null;
        }

        var id = cookie[..dot];
        Span<byte> mac = stackalloc byte[64];
        if (Base64Url.DecodeFromChars(cookie.AsSpan(dot + 1), mac, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        return _ring.Verify(MacPurpose, Encoding.ASCII.GetBytes(id), mac[..written]) ? id : null;
    }
}
