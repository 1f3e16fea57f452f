using System.Globalization;
using System.Text;

namespace ExtAuthz.Load;

/// <summary>Collects the measurements of one load run and renders them, with the ratios to the empty handler, as Markdown.</summary>
internal sealed class Report
{
    private readonly LoadSettings _settings;
    private readonly List<string> _notes = [];
    private readonly List<string> _requests = [];
    private readonly List<(int Round, string Type, string Target, double Rps, double CpuMicros, long Failed)> _max = [];
    private readonly List<(int Round, string Type, string Target, int Rate, double P50, double P99, double P999, int Count, long Failed)> _rate = [];
    private double _serverRss;
    private double _emptyRss;
    private double _rawRss;

    public Report(LoadSettings settings) => _settings = settings;

    public void Note(string note) => _notes.Add(note);

    public void Request(string type, string method, string path, string user, string credential, int bytes, int headers, AnswerCheck.Answer answer, AnswerCheck.Answer baseline) =>
        _requests.Add($"| {type} | `{method} {path}` as {(user.Length == 0 ? "nobody" : user)} | {bytes} B, {headers} headers{(credential.Length > 0 ? ", " + credential : "")} | {Describe(answer)} | grpc-status {baseline.GrpcStatus}, {(baseline.Allowed ? "allow" : "deny")} |");

    /// <summary>A decoded answer on one line: status, outcome, reason, and the user it names (upstream header or metadata).</summary>
    public static string Describe(AnswerCheck.Answer answer) =>
        $"grpc-status {answer.GrpcStatus}, {(answer.Allowed ? "allow" : "deny")} {answer.HttpStatus} `{answer.Reason}`"
        + (answer.Header("kubeflow-userid") is { } userId ? $" kubeflow-userid {userId}" : answer.User.Length > 0 ? $" user {answer.User}" : "");

    public void Max(int round, string type, string target, H2Load.Result result, double cpuSeconds) =>
        _max.Add((round, type, target, result.Done / result.Seconds, cpuSeconds / Math.Max(1, result.Done) * 1e6, result.Failed + result.Errored + (result.Done - result.Status2xx)));

    public void Rate(int round, string type, string target, int rate, H2Load.Result result, (double P50, double P99, double P999, int Count) p) =>
        _rate.Add((round, type, target, rate, p.P50, p.P99, p.P999, p.Count, result.Failed + result.Errored));

    public void Rss(double server, double empty, double raw)
    {
        _serverRss = server;
        _emptyRss = empty;
        _rawRss = raw;
    }

    public double MedianRps(string type, string target) => Median(_max.Where(m => m.Type == type && m.Target == target).Select(m => m.Rps));

    /// <summary>
    /// ExtAuthz CPU per request of the warm session Check over that of the cached-bearer Check by the same user to the
    /// same page (<c>session</c> / <c>owner</c>) in one round; null when the round measured only one of them.
    /// </summary>
    public double? SessionOverBearer(int round)
    {
        var bearer = _max.FirstOrDefault(m => m.Round == round && m.Type == "owner" && m.Target == "extauthz");
        var session = _max.FirstOrDefault(m => m.Round == round && m.Type == "session" && m.Target == "extauthz");
        return bearer.Type is null || session.Type is null ? null : session.CpuMicros / bearer.CpuMicros;
    }

    public string ToMarkdown()
    {
        var s = _settings;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Load run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"h2load -t 1 -c {s.Clients} -m {s.Streams}, {s.Rounds} alternating rounds of {s.Seconds} s per request type and server (after {s.WarmupSeconds} s of warm-up each); cluster of {s.Profiles} profiles and {s.Bindings} role bindings; server args: `{s.ServerArgs}`.");
        foreach (var note in _notes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        md.AppendLine();
        md.AppendLine("| type | request | size | ExtAuthz answer | empty handler answer |");
        md.AppendLine("|---|---|---|---|---|");
        _requests.ForEach(r => md.AppendLine(r));

        md.AppendLine();
        md.AppendLine("| type | round | empty req/s | ExtAuthz req/s | req/s ratio | empty CPU µs/req | ExtAuthz CPU µs/req | CPU ratio | failed (empty / ExtAuthz) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var type in _max.Select(m => m.Type).Distinct())
        {
            var rpsRatios = new List<double>();
            var cpuRatios = new List<double>();
            foreach (var round in _max.Where(m => m.Type == type).Select(m => m.Round).Distinct())
            {
                var e = _max.Single(m => m.Type == type && m.Round == round && m.Target == "empty");
                var x = _max.Single(m => m.Type == type && m.Round == round && m.Target == "extauthz");
                rpsRatios.Add(x.Rps / e.Rps);
                cpuRatios.Add(x.CpuMicros / e.CpuMicros);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {type} | {round} | {e.Rps:F0} | {x.Rps:F0} | {x.Rps / e.Rps:F2} | {e.CpuMicros:F1} | {x.CpuMicros:F1} | {x.CpuMicros / e.CpuMicros:F2} | {e.Failed} / {x.Failed} |");
            }

            var rps = Median(rpsRatios);
            var cpu = Median(cpuRatios);
            md.AppendLine(CultureInfo.InvariantCulture, $"| **{type}** | median | {MedianRps(type, "empty"):F0} | {MedianRps(type, "extauthz"):F0} | **{rps:F2}** ({Mark(rps >= 0.85)} ≥ 0.85) | {Median(_max.Where(m => m.Type == type && m.Target == "empty").Select(m => m.CpuMicros)):F1} | {Median(_max.Where(m => m.Type == type && m.Target == "extauthz").Select(m => m.CpuMicros)):F1} | **{cpu:F2}** ({Mark(cpu <= 1.18)} ≤ 1.18) | |");
        }

        AppendRawFloor(md);
        AppendSessionRatio(md);

        md.AppendLine();
        md.AppendLine("| type | round | rate req/s | server | p50 ms | p99 ms | p99.9 ms | requests | failed |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in _rate)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Type} | {r.Round} | {r.Rate} | {r.Target} | {r.P50:F3} | {r.P99:F3} | {r.P999:F3} | {r.Count} | {r.Failed} |");
        }

        if (_rate.Count > 0)
        {
            var p99Empty = Median(_rate.Where(r => r.Target == "empty").Select(r => r.P99));
            var p99Ext = Median(_rate.Where(r => r.Target == "extauthz").Select(r => r.P99));
            var ratio = p99Ext / p99Empty;
            md.AppendLine(CultureInfo.InvariantCulture, $"| **median** | | | | | empty {p99Empty:F3} / ExtAuthz {p99Ext:F3}: **{ratio:F2}** ({Mark(ratio <= 1.25)} ≤ 1.25) | | | |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Peak RSS (VmHWM): ExtAuthz {_serverRss:F0} MiB, empty handler {_emptyRss:F0} MiB, raw empty handler {_rawRss:F0} MiB.");
        return md.ToString();
    }

    /// <summary>The second floor: the raw-bytes empty handler, which parses nothing (target ≤ 1.05x CPU per Check).</summary>
    private void AppendRawFloor(StringBuilder md)
    {
        if (!_max.Any(m => m.Target == "raw"))
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("| type | round | raw req/s | ExtAuthz req/s | req/s ratio | raw CPU µs/req | ExtAuthz CPU µs/req | CPU ratio | generated-floor CPU / raw |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var type in _max.Select(m => m.Type).Distinct())
        {
            var cpuRatios = new List<double>();
            var rpsRatios = new List<double>();
            var floorRatios = new List<double>();
            foreach (var round in _max.Where(m => m.Type == type).Select(m => m.Round).Distinct())
            {
                var r = _max.Single(m => m.Type == type && m.Round == round && m.Target == "raw");
                var x = _max.Single(m => m.Type == type && m.Round == round && m.Target == "extauthz");
                var e = _max.Single(m => m.Type == type && m.Round == round && m.Target == "empty");
                rpsRatios.Add(x.Rps / r.Rps);
                cpuRatios.Add(x.CpuMicros / r.CpuMicros);
                floorRatios.Add(e.CpuMicros / r.CpuMicros);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {type} | {round} | {r.Rps:F0} | {x.Rps:F0} | {x.Rps / r.Rps:F2} | {r.CpuMicros:F1} | {x.CpuMicros:F1} | {x.CpuMicros / r.CpuMicros:F2} | {e.CpuMicros / r.CpuMicros:F2} |");
            }

            var cpu = Median(cpuRatios);
            md.AppendLine(CultureInfo.InvariantCulture, $"| **{type}** | median | {MedianRps(type, "raw"):F0} | {MedianRps(type, "extauthz"):F0} | **{Median(rpsRatios):F2}** | {Median(_max.Where(m => m.Type == type && m.Target == "raw").Select(m => m.CpuMicros)):F1} | {Median(_max.Where(m => m.Type == type && m.Target == "extauthz").Select(m => m.CpuMicros)):F1} | **{cpu:F2}** ({Mark(cpu <= 1.05)} ≤ 1.05) | {Median(floorRatios):F2} |");
        }
    }

    /// <summary>Our login's requirement: a Check carrying a warm session cookie costs at most 1.05x a cached-bearer Check.</summary>
    private void AppendSessionRatio(StringBuilder md)
    {
        if (!_max.Any(m => m.Type == "session"))
        {
            return;
        }

        md.AppendLine();
        if (!_max.Any(m => m.Type == "owner"))
        {
            md.AppendLine("Warm session cookie ≤ 1.05x cached bearer: not compared (this run has no `owner` type, the same request with a bearer token).");
            return;
        }

        md.AppendLine("| requirement | round | owner (cached bearer) req/s | session req/s | owner CPU µs/req | session CPU µs/req | CPU ratio session / owner |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        var ratios = new List<double>();
        foreach (var round in _max.Where(m => m.Type == "session").Select(m => m.Round).Distinct())
        {
            var b = _max.Single(m => m.Type == "owner" && m.Round == round && m.Target == "extauthz");
            var x = _max.Single(m => m.Type == "session" && m.Round == round && m.Target == "extauthz");
            ratios.Add(x.CpuMicros / b.CpuMicros);
            md.AppendLine(CultureInfo.InvariantCulture, $"| warm session cookie ≤ 1.05x cached bearer | {round} | {b.Rps:F0} | {x.Rps:F0} | {b.CpuMicros:F1} | {x.CpuMicros:F1} | {x.CpuMicros / b.CpuMicros:F2} |");
        }

        var ratio = Median(ratios);
        md.AppendLine(CultureInfo.InvariantCulture, $"| **warm session cookie ≤ 1.05x cached bearer** | median | {MedianRps("owner", "extauthz"):F0} | {MedianRps("session", "extauthz"):F0} | {Median(_max.Where(m => m.Type == "owner" && m.Target == "extauthz").Select(m => m.CpuMicros)):F1} | {Median(_max.Where(m => m.Type == "session" && m.Target == "extauthz").Select(m => m.CpuMicros)):F1} | **{ratio:F2}** ({Mark(ratio <= 1.05)} ≤ 1.05) |");
    }

    private static string Mark(bool pass) => pass ? "pass" : "MISS";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
