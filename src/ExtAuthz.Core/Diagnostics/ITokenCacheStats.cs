namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the validated-token cache reports on <c>/metrics</c>; read only when scraped, kept with plain increments.</summary>
public interface ITokenCacheStats
{
    long Hits { get; }

    long Misses { get; }

    int Count { get; }
}
