using ExtAuthz.Core.Identity;

namespace ExtAuthz.Benchmarks.Fixtures;

/// <summary>Builds the warm hot path with the identity and access parts this build has.</summary>
internal static class WarmCheckFactory
{
    public static WarmCheck Create(string method, string path, string? token)
    {
        var principal = new Principal("https://dex.example.com", "alice@example.com", "alice@example.com", ["team-a"], DateTimeOffset.MaxValue);
        return new WarmCheck(new StubAuthenticator(principal), new StubAccess(), method, path, token);
    }
}
