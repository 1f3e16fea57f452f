using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExtAuthz.Core.Login;

/// <summary>
/// The login's secret keys (<c>Login:KeyRingFile</c>, a mounted Secret): the first key signs and seals, every key
/// verifies and opens, so a new key is added first and an old one removed a session lifetime later. Each use derives
/// its own key with HKDF (a purpose label, and for sealing the value the payload belongs to), so no key is used for
/// two things, and a sealed payload opens only for whoever holds the value it was sealed for (a session id, a state).
/// </summary>
public sealed class KeyRing
{
    private const int MinKeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly (byte Id, byte[] Secret)[] _keys;

    private KeyRing((byte Id, byte[] Secret)[] keys) => _keys = keys;

    /// <summary>How many keys verify (the first of them signs).</summary>
    public int Count => _keys.Length;

    /// <summary>One random key, for a single replica without a configured ring: sessions end when it restarts.</summary>
    public static KeyRing Random() => new([(0, RandomNumberGenerator.GetBytes(MinKeyBytes))]);

    /// <summary>
    /// Reads a ring: one key a line, <c>base64</c> or <c>name:base64</c> (standard or url alphabet) of at least 32
    /// bytes; blank lines and <c>#</c> comments are skipped. Throws <see cref="FormatException"/> naming the line.
    /// </summary>
    public static KeyRing Parse(string text)
    {
        var keys = new List<(byte, byte[])>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.LastIndexOf(':');
            var encoded = colon < 0 ? line : line[(colon + 1)..];
            var secret = Decode(encoded) ?? throw new FormatException($"line {lineNumber}: not base64");
            if (secret.Length < MinKeyBytes)
            {
                throw new FormatException($"line {lineNumber}: a key needs at least {MinKeyBytes} bytes, this one has {secret.Length}");
            }

            // The key's id is a hash of the key itself: stable, and unrelated to the order of the lines.
            keys.Add((SHA256.HashData(secret)[0], secret));
        }

        if (keys.Count == 0)
        {
            throw new FormatException("no key");
        }

        return new KeyRing([.. keys]);
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> under the signing key, for <paramref name="purpose"/>.</summary>
    public byte[] Sign(string purpose, ReadOnlySpan<byte> data) => HMACSHA256.HashData(Derive(_keys[0].Secret, purpose, []), data);

    /// <summary>True when some key of the ring made <paramref name="mac"/> for <paramref name="data"/>; constant time per key.</summary>
    public bool Verify(string purpose, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[32];
        foreach (var (_, secret) in _keys)
        {
            HMACSHA256.HashData(Derive(secret, purpose, []), data, expected);
            if (mac.Length == expected.Length && CryptographicOperations.FixedTimeEquals(mac, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>AES-256-GCM under a key derived from the signing key, <paramref name="purpose"/> and <paramref name="context"/>.</summary>
    public byte[] Seal(string purpose, ReadOnlySpan<byte> context, ReadOnlySpan<byte> plaintext)
    {
        var (id, secret) = _keys[0];
        var sealedBytes = new byte[1 + NonceBytes + TagBytes + plaintext.Length];
        sealedBytes[0] = id;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Derive(secret, purpose, context), TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(1 + NonceBytes + TagBytes), sealedBytes.AsSpan(1 + NonceBytes, TagBytes));
        return sealedBytes;
    }

    /// <summary>The plaintext, or null when no key of the ring sealed these bytes for this purpose and context.</summary>
    public byte[]? Open(string purpose, ReadOnlySpan<byte> context, ReadOnlySpan<byte> sealedBytes)
    {
        if (sealedBytes.Length < 1 + NonceBytes + TagBytes)
        {
            return null;
        }

        var plaintext = new byte[sealedBytes.Length - 1 - NonceBytes - TagBytes];
        foreach (var (id, secret) in _keys)
        {
            if (id != sealedBytes[0])
            {
                continue;
            }

            try
            {
                using var aes = new AesGcm(Derive(secret, purpose, context), TagBytes);
                aes.Decrypt(sealedBytes.Slice(1, NonceBytes), sealedBytes[(1 + NonceBytes + TagBytes)..], sealedBytes.Slice(1 + NonceBytes, TagBytes), plaintext);
                return plaintext;
            }
            catch (AuthenticationTagMismatchException)
            {
                // Another key may share the one-byte id; try it.
            }
        }

        return null;
    }

    private static byte[] Derive(byte[] secret, string purpose, ReadOnlySpan<byte> context)
    {
        var info = new byte[Encoding.UTF8.GetByteCount(purpose) + 1 + context.Length];
        var written = Encoding.UTF8.GetBytes(purpose, info);
        info[written] = 0;
        context.CopyTo(info.AsSpan(written + 1));
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: info);
    }

    private static byte[]? Decode(string text)
    {
        var normalized = text.Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + ((4 - (normalized.Length % 4)) % 4), '=');
        var buffer = new byte[normalized.Length];
        return Convert.TryFromBase64String(normalized, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>Base64url SHA-256 of a value: how a store names a session or a state without holding it.</summary>
    public static string Hash(ReadOnlySpan<char> value)
    {
        Span<byte> utf8 = stackalloc byte[256];
        var bytes = value.Length <= 64 ? utf8[..Encoding.UTF8.GetBytes(value, utf8)] : Encoding.UTF8.GetBytes(value.ToArray());
        return Base64Url.EncodeToString(SHA256.HashData(bytes));
    }
}
