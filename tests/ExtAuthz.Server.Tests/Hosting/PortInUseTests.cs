using System.Net;
using System.Net.Sockets;
using ExtAuthz.Server.Hosting;
using ExtAuthz.Testing;

namespace ExtAuthz.Server.Tests.Hosting;

/// <summary>A port another process holds: one line naming the port and the key that set it, exit code 2, no stack trace.</summary>
public sealed class PortInUseTests
{
    [Theory]
    [InlineData("GrpcPort")]
    [InlineData("HttpPort")]
    public async Task Process_PortHeldByAnotherProcess_OneLineNamingPortAndKey(string held)
    {
        using var holder = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        holder.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var other = held == "GrpcPort" ? "HttpPort" : "GrpcPort";

        var (exitCode, lines) = await RefusedStart.RunAsync(
            [$"--Server:{held}={port}", $"--Server:{other}={FreePort.Next()}", $"--Policy:Directory={RepoPaths.Samples}"]);

        Assert.Equal(ExtAuthzHost.PortInUseExitCode, exitCode);
        var line = Assert.Single(lines);
        Assert.Equal(
            $"Server:{held}: port {port} is already in use by another process; stop it, or choose another port with --Server:{held}=N (Server__{held}=N)",
            line);
    }
}
