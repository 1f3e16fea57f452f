using System.Text;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// UTF-8 to string for the lean reader. The method and the protocol come from their few known values instead of a
/// new string each time (hosts and principals from the per-host <see cref="SlotNames"/> caches); a match compares
/// bytes, so a value is never mistaken for another.
/// </summary>
internal static class WireStrings
{
    private static readonly string[] s_methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"];
    private static readonly string[] s_protocols = ["HTTP/1.1", "HTTP/2", "HTTP/1.0", "HTTP/3"];

    /// <summary>A proto <c>string</c> field: invalid UTF-8 is refused, as the generated parser refuses it.</summary>
    public static string Utf8(ReadOnlySpan<byte> bytes)
    {
        Validate(bytes);
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>For a <c>bytes</c> field (raw_value): invalid sequences become U+FFFD, as ToStringUtf8 makes them.</summary>
    public static string Lenient(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);

    public static void Validate(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new MalformedWireException("a string field is not UTF-8");
        }
    }

    public static string Method(ReadOnlySpan<byte> bytes) => Known(bytes, s_methods);

    public static string Protocol(ReadOnlySpan<byte> bytes) => Known(bytes, s_protocols);

    private static string Known(ReadOnlySpan<byte> bytes, string[] known)
    {
        foreach (var candidate in known)
        {
            if (Ascii.Equals(bytes, candidate))
            {
                return candidate;
            }
        }

        return Utf8(bytes);
    }
}
