namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>Token material for the in-process benchmarks.</summary>
internal static class Tokens
{
    /// <summary>A token-sized string (an RS256 JWT of a Dex user is ~900 characters) for paths that do not validate it.</summary>
    public static readonly string Placeholder = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImRldiJ9." + new string('x', 600) + "." + new string('s', 342);
}
