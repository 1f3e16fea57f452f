using System.Globalization;
using ExtAuthz.FirstCheck;

// dotnet run -c Release --project benchmarks/ExtAuthz.FirstCheck -- [--processes N] [--checks N] [--server DLL]
//   [--env NAME=VALUE]... [-- server arguments]
var settings = FirstCheckSettings.Parse(args);
Console.WriteLine($"first Check of a new process: {settings.Processes} processes, {settings.Checks} Checks each, server {settings.ServerDll}");
Console.WriteLine($"server arguments: {string.Join(' ', settings.ServerArgs)}; environment: {string.Join(' ', settings.Environment.Select(e => $"{e.Key}={e.Value}"))}");
Console.WriteLine("process  ready(ms)  check  round-trip(ms)  server(ms)");

var runs = new List<FirstCheckResult>();
for (var i = 0; i < settings.Processes; i++)
{
    var result = await FirstCheckRun.RunAsync(settings);
    runs.Add(result);
    for (var c = 0; c < result.RoundTripsMs.Count; c++)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{i + 1,7}  {(c == 0 ? result.ReadyMs.ToString("0", CultureInfo.InvariantCulture) : ""),9}  {c + 1,5}  {result.RoundTripsMs[c],14:0.000}  {result.ServerMs[c],10:0.000}"));
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median over {runs.Count} processes: start to ready {Median(runs.Select(r => r.ReadyMs)):0} ms; "
    + $"first Check round trip {Median(runs.Select(r => r.RoundTripsMs[0])):0.000} ms, server {Median(runs.Select(r => r.ServerMs[0])):0.000} ms; "
    + $"second Check round trip {Median(runs.Select(r => r.RoundTripsMs.ElementAtOrDefault(1))):0.000} ms, server {Median(runs.Select(r => r.ServerMs.ElementAtOrDefault(1))):0.000} ms"));
