using System.Net.Sockets;
using System.Text;
using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>
/// Idle sockets on the ops port cannot hold the process's file descriptors: past <c>Server:OpsMaxConnections</c> a
/// connection is closed at once, and an idle one is closed after <c>Server:OpsIdleTimeout</c>, while an idle gRPC
/// connection keeps the long keep-alive Envoy needs.
/// </summary>
public sealed class OpsConnectionLimitTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OpsPort_ManyIdleSockets_OnlyTheBoundIsKept()
    {
        await using var server = await ServerInstance.StartAsync(["--Server:OpsMaxConnections=8", "--Server:OpsIdleTimeout=01:00:00"]);
        var sockets = new List<Socket>();
        for (var i = 0; i < 20; i++)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            try
            {
                await socket.ConnectAsync("127.0.0.1", server.HttpPort);
            }
            catch (SocketException)
            {
                // Closed at accept so fast that the reset reached the connect itself: refused, as below.
            }
        }

        // Each idle socket now asks for /healthz: the kept ones answer, the ones past the bound were closed.
        var answered = 0;
        foreach (var socket in sockets)
        {
            if (await AnswersAsync(socket))
            {
                answered++;
            }
        }

        Assert.Equal(8, answered);
        sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task OpsPort_IdleSockets_AreClosedWhileAnIdleGrpcConnectionStaysOpen()
    {
        await using var server = await ServerInstance.StartAsync(["--Server:OpsIdleTimeout=00:00:01"]);
        using var grpc = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await grpc.ConnectAsync("127.0.0.1", server.GrpcPort);
        await StartHttp2Async(grpc);
        var ops = new List<Socket>();
        for (var i = 0; i < 5; i++)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", server.HttpPort);
            ops.Add(socket);
        }

        foreach (var socket in ops)
        {
            Assert.True(await ClosedByPeerAsync(socket), "an idle ops connection was never closed");
        }

        // Every ops socket has been closed for idleness; the gRPC connection, idle as long, still answers a PING.
        Assert.True(await PingAsync(grpc), "the idle gRPC connection was closed");
        ops.ForEach(s => s.Dispose());
    }

    private static async Task<bool> AnswersAsync(Socket socket)
    {
        if (!socket.Connected)
        {
            return false;
        }

        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
            var buffer = new byte[1024];
            using var guard = new CancellationTokenSource(Guard);
            var length = 0;
            while (length < 12)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, guard.Token);
                if (read == 0)
                {
                    return false;
                }

                length += read;
            }

            return Encoding.ASCII.GetString(buffer, 0, length).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> ClosedByPeerAsync(Socket socket)
    {
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, guard.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>The HTTP/2 client preface and an empty SETTINGS frame; then the server's SETTINGS is read.</summary>
    private static async Task StartHttp2Async(Socket socket)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        await socket.SendAsync(new byte[] { 0, 0, 0, 0x4, 0, 0, 0, 0, 0 });
        await ReadFrameAsync(socket);
    }

    private static async Task<bool> PingAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync(new byte[] { 0, 0, 8, 0x6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 });
            while (true)
            {
                var (type, flags) = await ReadFrameAsync(socket);
                if (type == 0x6 && (flags & 1) == 1)
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or EndOfStreamException)
        {
            return false;
        }
    }

    private static async Task<(byte Type, byte Flags)> ReadFrameAsync(Socket socket)
    {
        var header = await ReadExactlyAsync(socket, 9);
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        await ReadExactlyAsync(socket, length);
        return (header[3], header[4]);
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var guard = new CancellationTokenSource(Guard);
        for (var at = 0; at < count;)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(at), SocketFlags.None, guard.Token);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            at += read;
        }

        return buffer;
    }
}
