namespace ExtAuthz.Core.Identity;

/// <summary>The outcome of one discovery + key-set fetch, as a value: keys and when to refresh, or what went wrong.</summary>
internal sealed record KeySetFetchResult(IReadOnlyList<SigningKey>? Keys, string? Error, TimeSpan RefreshAfter, string? JwksUri)
{
    public bool Succeeded => Keys is not null;

    public static KeySetFetchResult Fail(string error, string? jwksUri) => new(null, error, TimeSpan.Zero, jwksUri);
}
