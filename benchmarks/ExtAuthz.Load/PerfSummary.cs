using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExtAuthz.Load;

/// <summary>
/// Reads <c>perf script -F comm,ip,sym,dso</c> (one sample per blank-line-separated block, leaf frame first) and sums the
/// samples three ways: by the thread that was on CPU, by where the leaf frame lives (a managed assembly, the runtime,
/// the kernel, libc), and by the parts of a Check that were anywhere on the stack.
/// </summary>
internal static partial class PerfSummary
{
    /// <summary>Parts of a Check, matched against every frame of a sample: inclusive shares.</summary>
    private static readonly (string Name, string Frame)[] s_parts =
    [
        ("any ExtAuthz code", "[ExtAuthz."),
        ("Check handler (read, decide, answer, record)", "Grpc.CheckHandler::"),
        ("lean CheckRequest reader", "Wire.CheckRequestWireReader::"),
        ("Core decision (Authorizer)", "Decisions.Authorizer::"),
        ("recording (metrics, trace check, log hand-off)", "Operations.DecisionRecorder::"),
        ("decision-log writer thread", "Operations.AuditWriter"),
        ("empty handler", "EmptyHost+EmptyAuthorization::"),
        ("gRPC framework", "[Grpc.AspNetCore.Server]"),
        ("Kestrel", "[Microsoft.AspNetCore.Server.Kestrel"),
    ];

    public static string Summarize(string script)
    {
        var threads = new Dictionary<string, int>();
        var leaves = new Dictionary<string, int>();
        var parts = new int[s_parts.Length];
        var total = 0;
        foreach (var block in script.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length < 2)
            {
                continue;
            }

            total++;
            Add(threads, ThreadKind(lines[0].Trim()));
            Add(leaves, Where(lines[1]));
            for (var i = 0; i < s_parts.Length; i++)
            {
                if (lines.Skip(1).Any(frame => frame.Contains(s_parts[i].Frame, StringComparison.Ordinal)))
                {
                    parts[i]++;
                }
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{total} samples");
        Table(text, "thread on CPU", threads, total);
        Table(text, "leaf frame in (own samples)", leaves, total);
        text.AppendLine("\n| part of the Check on the stack (inclusive) | share |\n|---|---|");
        for (var i = 0; i < s_parts.Length; i++)
        {
            if (parts[i] > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {s_parts[i].Name} | {100.0 * parts[i] / total:F1} % |");
            }
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, string title, Dictionary<string, int> counts, int total)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"\n| {title} | share |\n|---|---|");
        foreach (var (name, count) in counts.OrderByDescending(kv => kv.Value).Where(kv => kv.Value * 200 >= total))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {100.0 * count / total:F1} % |");
        }
    }

    private static void Add(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    /// <summary>".NET TP Worker", ".NET Server GC", ".NET Tiered Com", ... ; numbered names lose their number.</summary>
    private static string ThreadKind(string comm) => Digits().Replace(comm, "").Trim();

    private static string Where(string frame)
    {
        if (frame.Contains("[JIT]", StringComparison.Ordinal) || frame.Contains("perf-", StringComparison.Ordinal))
        {
            return Assembly().Match(frame) is { Success: true } m ? m.Groups[1].Value : "JIT code (unnamed)";
        }

        if (frame.Contains("[kernel", StringComparison.Ordinal))
        {
            return "kernel";
        }

        var open = frame.LastIndexOf('(');
        var dso = open >= 0 ? Path.GetFileName(frame[(open + 1)..].TrimEnd(')')) : frame.Trim();
        return dso switch
        {
            "libcoreclr.so" => "runtime (libcoreclr: GC, type system, thread pool)",
            "libclrjit.so" => "JIT compiler",
            _ => dso,
        };
    }

    [GeneratedRegex(@"\[([A-Za-z][\w.]*)\] \S+::")]
    private static partial Regex Assembly();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
