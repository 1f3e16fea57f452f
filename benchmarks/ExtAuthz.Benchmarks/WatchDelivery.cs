using System.Diagnostics;
using System.Globalization;
using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;
using ExtAuthz.Kubernetes;
using ExtAuthz.Kubernetes.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtAuthz.Benchmarks;

/// <summary>
/// "One watch event visible to decisions" (DESIGN §5) through the whole Kubernetes source, not just the index: an
/// in-process API server that speaks list/watch over loopback HTTP holds a 10,000-profile / 100,000-binding cluster;
/// the real source (KubernetesClient, informers) lists it and watches; then each measured event is a RoleBinding
/// created (or deleted) in the API server, timed from that call until a decision on another thread sees the change.
/// A latency distribution of a live pipeline, so a plain timed loop rather than a BenchmarkDotNet job.
/// </summary>
internal static class WatchDelivery
{
    public static async Task<int> RunAsync(string[] args)
    {
        var profiles = Setting(args, "profiles", 10_000);
        var bindings = Setting(args, "bindings", 100_000);
        var events = Setting(args, "events", 1000);
        var warmup = Setting(args, "warmup", 50);

        await using var api = new FakeKubernetesApi();
        for (var i = 0; i < profiles; i++)
        {
            api.Namespaces.Put(KubeJson.Namespace(Namespace(i), $"user{i:D5}@example.com"), silent: true);
            api.Profiles.Put(KubeJson.Profile(Namespace(i), $"user{i:D5}@example.com"), silent: true);
        }

        for (var i = 0; i < bindings; i++)
        {
            api.RoleBindings.Put(KubeJson.Contributor(Namespace(i % profiles), $"user{(i + 1 + (i / profiles)) % profiles:D5}@example.com", "edit"), silent: true);
        }

        await api.StartAsync();
        var index = new AccessIndex(RoleMap.Default, TimeProvider.System);
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        var policy = KubeflowAccessPolicy.Create(options.Policy, index);
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = api.Url });
        using var source = new KubernetesIndexSource(index, () => client, new KubernetesSourceOptions(), TimeProvider.System, new Random(7),
            NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var sync = Stopwatch.StartNew();
        await source.StartAsync(stop.Token);
        while (!index.IsLoaded)
        {
            await Task.Delay(5);
        }

        Console.WriteLine($"initial list of {profiles:N0} profiles, {profiles:N0} namespaces and {bindings:N0} role bindings over HTTP, indexed: {sync.Elapsed.TotalSeconds:F2} s");

        // Let the watches open before the first measured event.
        while (api.Profiles.OpenWatches == 0 || api.RoleBindings.OpenWatches == 0 || api.Namespaces.OpenWatches == 0)
        {
            await Task.Delay(5);
        }

        // The first events also pay for JIT compilation of the event path: measured, but reported apart.
        var added = new List<double>(events);
        var deleted = new List<double>(events);
        var first = new List<double>(warmup * 2);
        for (var i = 0; i < warmup + events; i++)
        {
            var ns = Namespace(i * 7919 % profiles);
            var user = $"visitor{i}@example.com";
            var binding = KubeJson.Contributor(ns, user, "edit");
            var key = $"{ns}/{binding["metadata"]!["name"]!.GetValue<string>()}";

            var start = Stopwatch.GetTimestamp();
            api.RoleBindings.Put(binding);
            var grant = await VisibleAsync(() => Allowed(policy, user, ns), start);

            start = Stopwatch.GetTimestamp();
            api.RoleBindings.Delete(key);
            var revoke = await VisibleAsync(() => !Allowed(policy, user, ns), start);
            (i < warmup ? first : added).Add(grant);
            (i < warmup ? first : deleted).Add(revoke);
        }

        Console.WriteLine($"{events} events each way, milliseconds from the API server's write until a decision sees it:");
        Console.WriteLine("| event | p50 | p90 | p99 | max | target |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Print("RoleBinding ADDED → allow", added);
        Print("RoleBinding DELETED → deny", deleted);
        if (first.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the first events in order (ADDED, DELETED, ...): {string.Join(", ", first.Take(6).Select(ms => ms.ToString("F2", CultureInfo.InvariantCulture)))} ms"));
            Print($"the first {warmup} of each (JIT warm-up)", first);
        }

        await stop.CancelAsync();
        await source.StopAsync(CancellationToken.None);
        return 0;
    }

    private static string Namespace(int i) => $"ns-{i:D5}";

    private static bool Allowed(KubeflowAccessPolicy policy, string user, string ns)
    {
        var target = $"/notebook/{ns}/nb/";
        var input = new CheckInput(HeaderSlots.Default) { HasHttp = true, Method = "GET", Path = target, Host = "kubeflow.example.com" };
        var principal = new Principal("https://dex.example.com", user, user, [], DateTimeOffset.UtcNow.AddHours(1));
        return policy.Authorize(input, PathNormalizer.Normalize(target), principal).Allowed;
    }

    /// <summary>Milliseconds from <paramref name="start"/> until <paramref name="visible"/> holds; a decision every ~50 µs, yielding between.</summary>
    private static async Task<double> VisibleAsync(Func<bool> visible, long start)
    {
        var limit = TimeSpan.FromSeconds(30);
        while (!visible())
        {
            if (Stopwatch.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException("a watch event never reached the index");
            }

            await Task.Yield();
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static void Print(string name, List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        var verdict = At(0.99) < 50 ? "< 50 ms: pass" : "< 50 ms: MISS";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {At(0.5):F2} | {At(0.9):F2} | {At(0.99):F2} | {samples[^1]:F2} | {verdict} (p99) |"));
    }

    private static int Setting(string[] args, string name, int fallback) =>
        args.FirstOrDefault(a => a.StartsWith($"--{name}=", StringComparison.OrdinalIgnoreCase)) is { } arg
            ? int.Parse(arg[(name.Length + 3)..], CultureInfo.InvariantCulture)
            : fallback;
}
