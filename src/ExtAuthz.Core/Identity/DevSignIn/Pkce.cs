using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExtAuthz.Core.Identity.DevSignIn;

/// <summary>PKCE (RFC 7636) with the S256 method only: the plain method protects nothing a code thief lacks.</summary>
internal static class Pkce
{
    /// <summary>43 to 128 characters of <c>[A-Z a-z 0-9 - . _ ~]</c>: the shape of both a verifier and an S256 challenge.</summary>
    public static bool WellFormed(string? value) =>
        value is { Length: >= 43 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>True when <paramref name="verifier"/> is well formed and its S256 challenge is <paramref name="challenge"/>.</summary>
    public static bool Verifies(string? verifier, string challenge) =>
        WellFormed(verifier)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Challenge(verifier!)), Encoding.ASCII.GetBytes(challenge));
}
