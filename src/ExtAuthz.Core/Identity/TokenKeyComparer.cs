namespace ExtAuthz.Core.Identity;

/// <summary>
/// Compares cached tokens by their full text but hashes only the last 64 characters — the signature, which is
/// unpredictable for every token that can be in the cache (only validated tokens are). The randomised string hash
/// keeps crafted collisions out all the same; equality still reads every character.
/// </summary>
internal sealed class TokenKeyComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    private const int HashedChars = 64;

    public static TokenKeyComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();

    private static int Hash(ReadOnlySpan<char> token) =>
        string.GetHashCode(token.Length > HashedChars ? token[^HashedChars..] : token);
}
