namespace ExtAuthz.Server.Identity;

/// <summary>Key-set and development-issuer log events (ids 300–399). Tokens are never logged; issuers and kids are.</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Key set of {Issuer} loaded: {KeyCount} keys ({KeyIds}) from {JwksUri}; next refresh in {RefreshAfter}")]
    public static partial void KeySetLoaded(ILogger logger, string issuer, int keyCount, string keyIds, string? jwksUri, TimeSpan refreshAfter);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Key set of {Issuer} not refreshed ({Error}); keeping the last good set of {KeyCount} keys; retry in {RetryAfter}")]
    public static partial void KeySetStale(ILogger logger, string issuer, string? error, int keyCount, TimeSpan retryAfter);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Key set of {Issuer} unavailable ({Error}); its tokens are refused until a fetch succeeds; retry in {RetryAfter}")]
    public static partial void KeySetUnavailable(ILogger logger, string issuer, string? error, TimeSpan retryAfter);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Key set of {Issuer}: {Withdrawn} keys withdrawn; tokens they signed are no longer served from the cache")]
    public static partial void KeysWithdrawn(ILogger logger, string issuer, int withdrawn);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Development issuer {Issuer} is on: tokens minted on the ops port (loopback only) are trusted")]
    public static partial void DevIssuerOn(ILogger logger, string issuer);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Development token minted for {User} ({GroupCount} groups), valid {Lifetime}")]
    public static partial void DevTokenMinted(ILogger logger, string user, int groupCount, TimeSpan lifetime);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Development sign-in: {User} signed in; a code goes back to the client")]
    public static partial void DevSignedIn(ILogger logger, string user);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "Development sign-in: code exchanged for an ID token of {User}")]
    public static partial void DevCodeExchanged(ILogger logger, string user);

    /// <remarks>The OAuth error and its description only: never a code, verifier or secret.</remarks>
    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "Development sign-in refused at {Endpoint}: {Reason}")]
    public static partial void DevSignInRefused(ILogger logger, string endpoint, string reason);
}
