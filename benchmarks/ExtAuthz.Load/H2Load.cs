using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExtAuthz.Load.Requests;

namespace ExtAuthz.Load;

/// <summary>One h2load process posting one pre-encoded gRPC frame to Check, and what it reported.</summary>
internal static partial class H2Load
{
    public sealed record Result(double Seconds, long Done, long Succeeded, long Failed, long Errored, long Status2xx, string Output);

    public static Result Run(int port, string frameFile, int clients, int streams, int seconds, int? rpsPerClient = null, string? logFile = null)
    {
        var info = new ProcessStartInfo("h2load") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            "-t", "1", "-c", clients.ToString(CultureInfo.InvariantCulture), "-m", streams.ToString(CultureInfo.InvariantCulture),
            "-D", seconds.ToString(CultureInfo.InvariantCulture),
            "-d", frameFile,
            "-H", $":authority: {IstioCheckRequest.Authority}", "-H", "content-type: application/grpc", "-H", "te: trailers",
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (rpsPerClient is { } rps)
        {
            info.ArgumentList.Add($"--rps={rps}");
        }

        if (logFile is not null)
        {
            info.ArgumentList.Add($"--log-file={logFile}");
        }

        info.ArgumentList.Add($"http://127.0.0.1:{port}/envoy.service.auth.v3.Authorization/Check");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start h2load");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(seconds + 60)))
        {
            process.Kill();
            throw new TimeoutException("h2load did not finish");
        }

        var text = output.Result + error.Result;
        var finished = Finished().Match(text);
        var requests = Requests().Match(text);
        var codes = Codes().Match(text);
        if (!finished.Success || !requests.Success)
        {
            throw new InvalidOperationException("could not read h2load's report:\n" + text);
        }

        return new Result(
            double.Parse(finished.Groups[1].Value, CultureInfo.InvariantCulture) * (finished.Groups[2].Value == "ms" ? 0.001 : 1),
            long.Parse(requests.Groups["done"].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups["ok"].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups["failed"].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups["errored"].Value, CultureInfo.InvariantCulture),
            codes.Success ? long.Parse(codes.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            text);
    }

    /// <summary>Latency percentiles in ms from an h2load --log-file (third column: µs to the end of the response).</summary>
    public static (double P50, double P99, double P999, int Count) Percentiles(string logFile, double skipFraction = 0.1)
    {
        var rows = File.ReadLines(logFile)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length >= 3)
            .Select(f => (Start: long.Parse(f[0], CultureInfo.InvariantCulture), Micros: long.Parse(f[2], CultureInfo.InvariantCulture)))
            .OrderBy(r => r.Start)
            .ToList();
        var kept = rows.Skip((int)(rows.Count * skipFraction)).Select(r => r.Micros).Order().ToArray();
        if (kept.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN, 0);
        }

        double At(double q) => kept[Math.Min(kept.Length - 1, (int)Math.Ceiling(q * kept.Length) - 1)] / 1000.0;
        return (At(0.50), At(0.99), At(0.999), kept.Length);
    }

    [GeneratedRegex(@"finished in ([\d.]+)(s|ms),")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, (?<done>\d+) done, (?<ok>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored")]
    private static partial Regex Requests();

    [GeneratedRegex(@"status codes: (\d+) 2xx")]
    private static partial Regex Codes();
}
