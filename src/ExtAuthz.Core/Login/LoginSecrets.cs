using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExtAuthz.Core.Login;

/// <summary>The per-attempt secrets kept server-side: the OIDC nonce and the PKCE verifier (RFC 7636, S256).</summary>
internal sealed record LoginSecrets(string Nonce, string Verifier)
{
    private const string Purpose = "login-attempt";

    public static LoginSecrets Create() => new(
        Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
        Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    /// <summary>BASE64URL(SHA256(ASCII(verifier))).</summary>
    public string Challenge => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public byte[] Seal(KeyRing ring, string state) =>
        ring.Seal(Purpose, Encoding.ASCII.GetBytes(state), Encoding.ASCII.GetBytes(Nonce + "\n" + Verifier));

    public static LoginSecrets? Open(KeyRing ring, string state, byte[] sealedBytes)
    {
        if (ring.Open(Purpose, Encoding.ASCII.GetBytes(state), sealedBytes) is not { } plain)
        {
            return null;
        }

        var parts = Encoding.ASCII.GetString(plain).Split('\n');
        return parts.Length == 2 ? new LoginSecrets(parts[0], parts[1]) : null;
    }
}
