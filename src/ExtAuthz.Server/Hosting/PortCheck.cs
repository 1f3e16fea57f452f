using System.Net;
using System.Net.Sockets;
using System.Reflection;
using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Server.Hosting;

/// <summary>
/// A port that another process already holds is one line naming the port and the key that set it, before anything
/// starts — instead of the host's failure with its stack traces. The ports are every <c>Server:*Port</c> setting.
/// </summary>
internal static class PortCheck
{
    private static readonly PropertyInfo[] s_ports = [.. typeof(ServerOptions).GetProperties()
        .Where(p => p.PropertyType == typeof(int) && p.Name.EndsWith("Port", StringComparison.Ordinal))];

    /// <summary>The line for the first configured port that cannot be bound, or null when all can (port 0: the OS picks).</summary>
    public static string? FirstInUse(ServerOptions server)
    {
        foreach (var property in s_ports)
        {
            var port = (int)property.GetValue(server)!;
            if (port > 0 && IsInUse(port))
            {
                return InUse($"Server:{property.Name}", port);
            }
        }

        return null;
    }

    /// <summary>The same line for a bind that failed after the check (another process took the port in between).</summary>
    public static string Describe(ServerOptions server, IOException failure)
    {
        foreach (var property in s_ports)
        {
            var port = (int)property.GetValue(server)!;
            if (failure.Message.Contains($":{port}:", StringComparison.Ordinal))
            {
                return InUse($"Server:{property.Name}", port);
            }
        }

        return $"Server: a port is already in use ({string.Join(", ", s_ports.Select(p => $"Server:{p.Name}={p.GetValue(server)}"))})";
    }

    private static string InUse(string key, int port) =>
        $"{key}: port {port} is already in use by another process; stop it, or choose another port with --{key}=N ({key.Replace(":", "__", StringComparison.Ordinal)}=N)";

    /// <summary>Binds the port the way Kestrel's ListenAnyIP does (IPv6 any, dual mode; IPv4 where there is no IPv6).</summary>
    private static bool IsInUse(int port)
    {
        try
        {
            using var socket = Socket.OSSupportsIPv6
                ? new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true }
                : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            // Anything else (no permission for a low port, say) is Kestrel's to report.
            return false;
        }
    }
}
