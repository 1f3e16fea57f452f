namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the validated-token cache reports on <c>/metrics</c>; read only when scraped, never on a Check.</summary>
public interface ITokenCacheStats
{
    int Count { get; }

    /// <summary>Checks whose token was found in the cache; null while the cache does not count them.</summary>
    long? Hits { get; }

    /// <summary>Checks whose token had to be validated; null while the cache does not count them.</summary>
    long? Misses { get; }
}
