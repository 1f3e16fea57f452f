using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using ExtAuthz.Kubernetes.Tests.Fakes;
using ExtAuthz.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ExtAuthz.Benchmarks;

/// <summary>
/// The workspace API's write → visible time: the whole server (<c>Policy:Source=Kubernetes</c>, the API on) over the
/// in-process API server with N profiles; each measured call shares a workspace through
/// <c>POST /api/workgroup/add-contributor</c> (as the dashboard, by its forwarded identity) and then removes it. The
/// API answers only once our own index shows the change, so a call's time is the API server's write plus the watch
/// back into our index. A timed loop over a live pipeline, like <c>watch-delivery</c>; the lead runs it.
/// </summary>
internal static class SelfServiceVisible
{
    private const string Dashboard = "By=spiffe://cluster.local/ns/extauthz-system/sa/extauthz;URI=spiffe://cluster.local/ns/kubeflow/sa/centraldashboard";

    public static async Task<int> RunAsync(string[] args)
    {
        var profiles = Setting(args, "profiles", 1000);
        var calls = Setting(args, "calls", 200);
        var warmup = Setting(args, "warmup", 20);

        await using var api = new FakeKubernetesApi();
        for (var i = 0; i < profiles; i++)
        {
            api.Namespaces.Put(KubeJson.Namespace(Namespace(i), Owner(i)), silent: true);
            api.Profiles.Put(KubeJson.Profile(Namespace(i), Owner(i)), silent: true);
        }

        await api.StartAsync();
        var connection = new KubernetesConnection(() => new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = api.Url }));
        var (app, errors) = ExtAuthzHost.Build(
            ["--Server:GrpcPort=0", "--Server:HttpPort=0", "--Server:ApiPort=0", "--Policy:Source=Kubernetes", "--SelfService:Enabled=true",
                "--Logging:LogLevel:Default=Warning"],
            builder => builder.Services.AddSingleton(connection));
        if (app is null)
        {
            Console.Error.WriteLine(string.Join('\n', errors));
            return 2;
        }

        await app.StartAsync();
        var port = new Uri(app.Urls.Last().Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ready = Stopwatch.StartNew();
        while ((await SendAsync(http, HttpMethod.Get, $"/api/workgroup/get-contributors/{Namespace(0)}", Owner(0), null)).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (ready.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("the index never loaded");
            }

            await Task.Delay(50);
        }

        var shared = new List<double>(calls);
        var removed = new List<double>(calls);
        for (var i = 0; i < warmup + calls; i++)
        {
            var n = i * 7919 % profiles;
            var body = new { contributor = $"visitor{i}@example.com" };
            var start = Stopwatch.GetTimestamp();
            using (var add = await SendAsync(http, HttpMethod.Post, $"/api/workgroup/add-contributor/{Namespace(n)}", Owner(n), body))
            {
                Check(add);
            }

            var addMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            using (var remove = await SendAsync(http, HttpMethod.Delete, $"/api/workgroup/remove-contributor/{Namespace(n)}", Owner(n), body))
            {
                Check(remove);
            }

            if (i >= warmup)
            {
                shared.Add(addMs);
                removed.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        Console.WriteLine($"{profiles:N0} profiles; {calls} calls each after {warmup} warm-up calls; milliseconds from the request to its answer (written and visible in our index)");
        Console.WriteLine("| call | p50 | p90 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|");
        Print("add-contributor", shared);
        Print("remove-contributor", removed);
        await app.StopAsync();
        await app.DisposeAsync();
        return 0;
    }

    private static string Namespace(int i) => $"ws-{i:D5}";

    private static string Owner(int i) => $"owner{i:D5}@example.com";

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string user, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("kubeflow-userid", user);
        request.Headers.Add("x-forwarded-client-cert", Dashboard);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }

    private static void Check(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the API answered {(int)response.StatusCode}");
        }
    }

    private static void Print(string name, List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {At(0.5):F2} | {At(0.9):F2} | {At(0.99):F2} | {samples[^1]:F2} |"));
    }

    private static int Setting(string[] args, string name, int fallback) =>
        args.FirstOrDefault(a => a.StartsWith($"--{name}=", StringComparison.OrdinalIgnoreCase)) is { } arg
            ? int.Parse(arg[(name.Length + 3)..], CultureInfo.InvariantCulture)
            : fallback;
}
