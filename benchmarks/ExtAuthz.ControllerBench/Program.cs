using System.Diagnostics;
using System.Globalization;
using ExtAuthz.Controller.Hosting;
using ExtAuthz.Kubernetes.Tests.Fakes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: [profiles=1000] [workers=4]. Prints one line per measure.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;

await using var api = new FakeKubernetesApi();
await api.StartAsync();
for (var i = 0; i < count; i++)
{
    var profile = KubeJson.Profile($"user-{i:D5}", $"user{i}@example.com");
    profile["metadata"]!.AsObject().Remove("finalizers");
    profile.Remove("status");
    api.Profiles.Put(profile);
}

var options = new ControllerOptions { ApiServer = api.Url, Workers = workers, LeaderElection = { Enabled = false } };
var connection = new Lazy<IKubernetes>(() => new Kubernetes(new KubernetesClientConfiguration { Host = api.Url }));
using var runtime = new ControllerRuntime(options, connection, [], TimeProvider.System, NullLoggerFactory.Instance);
using var stop = new CancellationTokenSource();
var clock = Stopwatch.StartNew();
var run = runtime.RunAsync(stop.Token);

bool AllReady() => api.Profiles.Objects().All(p =>
    (p["status"]?["conditions"]?.AsArray() ?? []).Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True"));

while (!AllReady())
{
    await Task.Delay(100);
}

Console.WriteLine($"profiles={count} workers={workers} all-ready-seconds={clock.Elapsed.TotalSeconds:0.00} writes={api.Writes.Count}");

// Let the watch events of our own writes arrive and settle, then resync: an unchanged cluster costs no write.
int reconciles;
do
{
    reconciles = runtime.Controller.Reconciles;
    await Task.Delay(500);
}
while (runtime.Queue.Depth > 0 || runtime.Controller.Reconciles != reconciles);

var settled = api.Writes.Count;
reconciles = runtime.Controller.Reconciles;
clock.Restart();
runtime.Controller.EnqueueAll();
while (runtime.Controller.Reconciles < reconciles + count || runtime.Queue.Depth > 0)
{
    await Task.Delay(50);
}

Console.WriteLine($"resync-reconciles={runtime.Controller.Reconciles - reconciles} resync-writes={api.Writes.Count - settled} resync-seconds={clock.Elapsed.TotalSeconds:0.00}");

GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
Console.WriteLine($"managed-bytes={GC.GetTotalMemory(true)} working-set-bytes={Environment.WorkingSet} (fake API server in the same process)");
await stop.CancelAsync();
try
{
    await run;
}
catch (OperationCanceledException)
{
}

return api.Writes.Count - settled == 0 ? 0 : 1;
