using System.Collections.Frozen;

namespace ExtAuthz.Core.Identity;

/// <summary>An issuer's published keys at one moment, immutable; a refresh publishes a new instance.</summary>
internal sealed class KeySet
{
    public KeySet(IReadOnlyList<SigningKey> keys, DateTimeOffset fetchedAt)
    {
        Keys = keys;
        FetchedAt = fetchedAt;
        ByKeyId = keys.Where(k => k.KeyId is not null)
            .GroupBy(k => k.KeyId!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public IReadOnlyList<SigningKey> Keys { get; }

    public FrozenDictionary<string, SigningKey> ByKeyId { get; }

    public DateTimeOffset FetchedAt { get; }

    /// <summary>
    /// Carries over the instances of keys that are still published (same kid, key material and <c>alg</c>), so tokens
    /// they signed stay cached, and marks every key of <paramref name="previous"/> that is gone as withdrawn: a key
    /// republished for another algorithm is a new key, and tokens verified under its old <c>alg</c> stop at once.
    /// </summary>
    public static KeySet Merge(KeySet? previous, IReadOnlyList<SigningKey> fetched, DateTimeOffset fetchedAt, out int withdrawn)
    {
        withdrawn = 0;
        if (previous is null)
        {
            return new KeySet(fetched, fetchedAt);
        }

        var kept = new List<SigningKey>(fetched.Count);
        foreach (var key in fetched)
        {
            var same = previous.Keys.FirstOrDefault(old => old.Thumbprint == key.Thumbprint && old.KeyId == key.KeyId && old.Key.Alg == key.Key.Alg);
            kept.Add(same ?? key);
        }

        foreach (var old in previous.Keys)
        {
            if (!kept.Contains(old))
            {
                old.Withdraw();
                withdrawn++;
            }
        }

        return new KeySet(kept, fetchedAt);
    }
}
