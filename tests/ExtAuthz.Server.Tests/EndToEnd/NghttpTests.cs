using System.Buffers.Binary;
using System.Diagnostics;
using ExtAuthz.Testing;
using Google.Protobuf;

namespace ExtAuthz.Server.Tests.EndToEnd;

/// <summary>
/// An independent HTTP/2 client (nghttp, from Debian's nghttp2-client) sends a raw gRPC frame and sees
/// <c>grpc-status: 0</c>: the service speaks plain h2c gRPC, not only to .NET clients, whatever the authority.
/// </summary>
public sealed class NghttpTests
{
    /// <summary>
    /// nghttp refuses an authority with '_', so not Istio's exact cluster name (which the .NET clients and h2load send):
    /// the portless service name Envoy writes for a plain <c>envoy_grpc</c> cluster, also not the address dialled.
    /// </summary>
    private const string PortlessAuthority = "extauthz.extauthz-system.svc.cluster.local";

    [Theory]
    [InlineData("/envoy.service.auth.v3.Authorization/Check", "/dex/auth", "public")]
    [InlineData("/envoy.service.auth.v3.Authorization/Check", "/notebook/alice/", "missing_token")]
    [InlineData("/envoy.service.auth.v2.Authorization/Check", "/notebook/alice/", "missing_token")]
    public async Task Nghttp_RawGrpcFrame_GetsGrpcStatusZero(string method, string path, string reason)
    {
        await using var server = await ServerInstance.StartAsync();
        var frame = Path.GetTempFileName();
        try
        {
            var message = Requests.Istio("GET", path).ToByteArray();
            var bytes = new byte[5 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)message.Length);
            message.CopyTo(bytes, 5);
            await File.WriteAllBytesAsync(frame, bytes);

            var (exit, output) = await RunAsync("nghttp",
                "-v", "-H", $":authority: {PortlessAuthority}", "-H", "content-type: application/grpc", "-H", "te: trailers", "-d", frame,
                $"http://127.0.0.1:{server.GrpcPort}{method}");

            Assert.True(exit == 0, output);
            Assert.Contains("grpc-status: 0", output, StringComparison.Ordinal);
            Assert.Contains(":status: 200", output, StringComparison.Ordinal);
            // The CheckResponse nghttp prints carries the decision's reason (in the metadata, and in a deny's body).
            Assert.Contains(reason, output, StringComparison.Ordinal);
            Assert.Equal(reason == "missing_token", output.Contains("{\"error\":\"unauthenticated\",\"reason\":\"missing_token\"}", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(frame);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{file}' is not installed (Debian package nghttp2-client); the test command installs it", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
