using System.Diagnostics;
using ExtAuthz.Server.Hosting;
using Grpc.Net.Client;

namespace ExtAuthz.Testing;

/// <summary>
/// The real server as a process of its own (<c>dotnet ExtAuthz.Server.dll</c>), for tests about that process: its
/// memory (read from /proc), or a standard output that nobody reads. Dispose kills it.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private readonly Process _process;

    private ChildServer(Process process, int grpcPort, int httpPort)
    {
        _process = process;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        Channel = IstioAuthority.Channel($"http://127.0.0.1:{grpcPort}");
        Http = IstioAuthority.Http($"http://127.0.0.1:{httpPort}");
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public GrpcChannel Channel { get; }

    public HttpClient Http { get; }

    /// <param name="readStdout">False leaves standard output a pipe nobody reads: it stalls once its buffer is full.</param>
    /// <param name="environment">Extra environment, e.g. a GC heap limit.</param>
    public static async Task<ChildServer> StartAsync(IEnumerable<string> args, bool readStdout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] all =
        [
            typeof(ExtAuthzHost).Assembly.Location,
            $"--Server:GrpcPort={grpcPort}",
            $"--Server:HttpPort={httpPort}",
            $"--Policy:Directory={RepoPaths.Samples}",
            .. args,
        ];
        foreach (var arg in all)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        if (readStdout)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }

        var child = new ChildServer(process, grpcPort, httpPort);
        await child.WaitReadyAsync();
        return child;
    }

    /// <summary>The process's resident memory now (VmRSS) and at its peak (VmHWM), in bytes.</summary>
    public (long Rss, long Peak) Memory()
    {
        long Field(string[] lines, string name) =>
            long.Parse(lines.Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }

    public bool HasExited => _process.HasExited;

    private async Task WaitReadyAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await Http.GetAsync("/readyz", guard.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, guard.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
