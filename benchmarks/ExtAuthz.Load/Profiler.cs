using System.Diagnostics;

namespace ExtAuthz.Load;

/// <summary>
/// Where the time goes: a sampled-thread-time trace (dotnet-trace, ~100 Hz stacks) of a server while h2load drives
/// it, then the trace's top methods (exclusive and inclusive) as text next to the results.
/// </summary>
internal static class Profiler
{
    public static string? Trace(ServerProcess target, Action drive, int seconds, string work)
    {
        var tool = Find("dotnet-trace");
        if (tool is null)
        {
            return null;
        }

        var file = Path.Combine(work, $"{target.Name}.nettrace");
        if (!Capture(file, drive, seconds, tool, "collect", "-p", target.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--profile", "dotnet-sampled-thread-time", "--duration", $"00:00:00:{seconds:D2}", "-o", file))
        {
            return null;
        }

        var exclusive = Run(tool, "report", file, "topN", "-n", "25");
        var inclusive = Run(tool, "report", file, "topN", "-n", "40", "--inclusive");
        var text = $"# {target.Name}: top methods by exclusive samples\n{exclusive}\n# {target.Name}: top methods by inclusive samples\n{inclusive}\n";
        File.WriteAllText(Path.Combine(work, $"{target.Name}-trace-top.txt"), text);
        return text;
    }

    /// <summary>
    /// An on-CPU profile: <c>perf record</c> samples the server's threads at 999 Hz with call stacks while
    /// <paramref name="drive"/> loads it, then reports the hottest symbols by own samples (grouped by library: kernel,
    /// runtime, JIT code) and by inclusive samples. JIT-compiled methods are named through the server's perf map.
    /// </summary>
    public static string? CpuProfile(ServerProcess target, Action drive, int seconds, string work)
    {
        var perf = Find("perf");
        if (perf is null)
        {
            return null;
        }

        var file = Path.Combine(work, $"{target.Name}.perf.data");
        var pid = target.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!Capture(file, drive, seconds, perf, "record", "-F", "999", "-g", "-p", pid, "-o", file, "--",
            "sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            return null;
        }

        var summary = PerfSummary.Summarize(Run(perf, "script", "-i", file, "-F", "comm,ip,sym,dso"));
        var byLibrary = Run(perf, "report", "-i", file, "--stdio", "--no-children", "--sort", "dso", "-g", "none", "--percent-limit", "0.5");
        var exclusive = Run(perf, "report", "-i", file, "--stdio", "--no-children", "--sort", "sym", "-g", "none", "--percent-limit", "0.7");
        var inclusive = Run(perf, "report", "-i", file, "--stdio", "--children", "--sort", "sym", "-g", "none", "--percent-limit", "4");
        var text = $"# {target.Name}: where the CPU samples fall\n{summary}\n# {target.Name}: CPU samples by library\n{byLibrary}\n# {target.Name}: hottest symbols, own samples\n{exclusive}\n" +
            $"# {target.Name}: hottest symbols, inclusive of callees\n{inclusive}\n";
        File.WriteAllText(Path.Combine(work, $"{target.Name}-perf-top.txt"), text);
        return text;
    }

    /// <summary>Prints the sample summary of a perf profile taken earlier (<c>perf-summary FILE</c>).</summary>
    public static int Summarize(string file)
    {
        if (Find("perf") is not { } perf || !File.Exists(file))
        {
            Console.Error.WriteLine(File.Exists(file) ? "perf not found" : $"no such file: {file}");
            return 1;
        }

        Console.WriteLine(PerfSummary.Summarize(Run(perf, "script", "-i", file, "-F", "comm,ip,sym,dso")));
        return 0;
    }

    /// <summary>Starts a recording tool, loads the server while it records, and waits for its file.</summary>
    private static bool Capture(string file, Action drive, int seconds, string tool, params string[] args)
    {
        File.Delete(file);
        using var recording = Start(tool, args);
        Thread.Sleep(1000);
        drive();
        recording.WaitForExit(TimeSpan.FromSeconds(seconds + 60));
        return File.Exists(file);
    }

    private static string? Find(string name)
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append(Path.Combine(home, ".dotnet/tools"));
        return candidates.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    private static Process Start(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(2));
        return output.Result + error.Result;
    }
}
