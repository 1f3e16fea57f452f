using System.Diagnostics;
using ExtAuthz.Server.Hosting;

namespace ExtAuthz.Testing;

/// <summary>The server as a process of its own, run until it stops by itself: for starts it must refuse.</summary>
public static class RefusedStart
{
    /// <summary>Runs <c>dotnet ExtAuthz.Server.dll</c> with these arguments; its exit code and standard error lines.</summary>
    /// <param name="environment">Variables to set, or with a null value to remove, from this process's environment.</param>
    public static async Task<(int ExitCode, string[] Errors)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(ExtAuthzHost).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
            await stdout;
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
