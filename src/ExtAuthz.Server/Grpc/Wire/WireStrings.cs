using System.Text;

namespace ExtAuthz.Server.Grpc.Wire;

/// <summary>
/// UTF-8 to string for the lean reader. Values that repeat on nearly every Check (the method, the protocol,
/// the host, the gateway's and the workloads' principals) come from small caches instead of a new string each
/// time; a cache hit compares bytes, so a value is never mistaken for another.
/// </summary>
internal static class WireStrings
{
    private static readonly string[] s_methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"];
    private static readonly string[] s_protocols = ["HTTP/1.1", "HTTP/2", "HTTP/1.0", "HTTP/3"];

    private static readonly RecentStrings s_hosts = new();
    private static readonly RecentStrings s_principals = new();

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

    public static string Host(ReadOnlySpan<byte> bytes) => s_hosts.Get(bytes);

    public static string Principal(ReadOnlySpan<byte> bytes) => s_principals.Get(bytes);

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
