using System.Diagnostics;
using System.Globalization;

namespace ExtAuthz.Load;

/// <summary>A server under load: started as a child process, measured from /proc (CPU ticks, peak RSS), stopped at the end.</summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly double s_ticksPerSecond = ClockTicks();
    private readonly Process _process;

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="dll"/> with its standard output and error appended straight to <paramref name="logFile"/>
    /// by the kernel (<c>exec</c> under <c>/bin/sh</c>, so the PID is the server's), the way a container runtime takes
    /// a pod's output: no process of ours reads and re-writes the lines, so a server that logs a lot pays for its own
    /// writes and nothing else on these two cores does.
    /// </summary>
    /// <param name="perfMap">Write <c>/tmp/perf-PID.map</c>, so <c>perf</c> can name JIT-compiled methods.</param>
    public static ServerProcess Start(string name, string dll, IEnumerable<string> args, string logFile, bool perfMap = false)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        if (perfMap)
        {
            info.Environment["DOTNET_PerfMapEnabled"] = "1";

            // With W^X on, JIT code runs from a double-mapped memfd that perf cannot match to the map's addresses.
            info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }

        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(logFile);
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        File.WriteAllText(logFile, "");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        return new ServerProcess(name, process);
    }

    /// <summary>User + system CPU seconds the process has used so far (/proc/PID/stat utime + stime).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are indexes 11 and 12.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / s_ticksPerSecond;
    }

    /// <summary>Peak resident set size in MiB (VmHWM).</summary>
    public double PeakRssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static double ClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
