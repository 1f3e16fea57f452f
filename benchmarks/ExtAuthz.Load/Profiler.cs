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
        File.Delete(file);
        using var collect = Start(tool, "collect", "-p", target.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--profile", "dotnet-sampled-thread-time", "--duration", $"00:00:00:{seconds:D2}", "-o", file);
        Thread.Sleep(1000);
        drive();
        collect.WaitForExit(TimeSpan.FromSeconds(seconds + 60));
        if (!File.Exists(file))
        {
            return null;
        }

        var exclusive = Run(tool, "report", file, "topN", "-n", "25");
        var inclusive = Run(tool, "report", file, "topN", "-n", "40", "--inclusive");
        var text = $"# {target.Name}: top methods by exclusive samples\n{exclusive}\n# {target.Name}: top methods by inclusive samples\n{inclusive}\n";
        File.WriteAllText(Path.Combine(work, $"{target.Name}-trace-top.txt"), text);
        return text;
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
