using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Envoy.Service.Auth.V3;
using ExtAuthz.Load.Requests;
using Google.Protobuf;

namespace ExtAuthz.Load;

/// <summary>
/// The load run of DESIGN §5: the ExtAuthz server and the empty handler, the same pre-encoded Istio-shaped
/// CheckRequests, several alternating rounds at maximum rate (req/s, server CPU per request), then a fixed rate at
/// half the maximum (latency percentiles), and the ratios of ExtAuthz to the empty handler.
/// </summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(LoadSettings s)
    {
        var work = Path.GetFullPath(s.Work);
        Directory.CreateDirectory(work);
        var repo = Path.GetFullPath(s.Repo);
        var serverDll = Path.Combine(repo, "src/ExtAuthz.Server/bin/Release/net10.0/ExtAuthz.Server.dll");
        var selfDll = typeof(LoadRun).Assembly.Location;
        var report = new Report(s);

        var cluster = Path.Combine(work, "cluster");
        ClusterGenerator.Write(cluster, s.Profiles, s.Bindings);
        Console.WriteLine($"cluster: {s.Profiles} profiles, {s.Bindings} role bindings in {cluster}");

        string[] serverArgs =
        [
            $"--Server:GrpcPort={s.ServerPort}", $"--Server:HttpPort={s.OpsPort}", $"--Policy:Directory={cluster}",
            "--Identity:DevIssuer:Enabled=true",
            .. SessionLogin.ServerArguments(s.OpsPort),
            .. s.ServerArgs.Split(';', StringSplitOptions.RemoveEmptyEntries),
        ];
        using var server = ServerProcess.Start("extauthz", serverDll, serverArgs, Path.Combine(work, "server.log"), s.PerfSeconds > 0);
        using var empty = ServerProcess.Start("empty", selfDll, ["empty-server", $"--port={s.EmptyPort}"], Path.Combine(work, "empty.log"), s.PerfSeconds > 0);
        using var raw = ServerProcess.Start("raw", selfDll, ["empty-server", $"--port={s.RawPort}", "--raw"], Path.Combine(work, "raw.log"), s.PerfSeconds > 0);
        var ready = await WaitReadyAsync(s.OpsPort, server, TimeSpan.FromSeconds(s.ReadySeconds));
        report.Note(ready is { } after ? $"ExtAuthz ready (index loaded) after {after.TotalSeconds:F1} s" : "ExtAuthz never reported ready: runs measure the not-ready path");
        await WaitListeningAsync(s.EmptyPort);
        await WaitListeningAsync(s.RawPort);

        var frames = new Dictionary<string, string>();
        foreach (var type in s.Types.Split(','))
        {
            var (method, path, user) = Shape(type);
            var (request, credential) = type == "session"
                ? (await SessionRequestAsync(s.ServerPort, method, path, user), "session cookie")
                : await TokenRequestAsync(s.OpsPort, method, path, user);
            var frame = IstioCheckRequest.GrpcFrame(request);
            var file = Path.Combine(work, $"{type}.grpc");
            await File.WriteAllBytesAsync(file, frame);
            frames[type] = file;
            var answer = await AnswerCheck.SendAsync(s.ServerPort, frame);
            var baseline = await AnswerCheck.SendAsync(s.EmptyPort, frame);
            Console.WriteLine($"answer {type,-12} ExtAuthz: {Report.Describe(answer)}; empty: {Report.Describe(baseline)}");
            if (type == "session" && !(answer.Allowed && answer.Header("kubeflow-userid") == user))
            {
                throw new InvalidOperationException($"the session Check is not an allow for {user}: {Report.Describe(answer)}");
            }

            report.Request(type, method, path, user, credential, request.CalculateSize(), request.Attributes.Request.Http.Headers.Count, answer, baseline);
        }

        // Tiered compilation and PGO settle over the first seconds of load: prime both servers with every type, unmeasured.
        foreach (var file in frames.Values)
        {
            H2Load.Run(s.EmptyPort, file, s.Clients, s.Streams, s.PrimeSeconds);
            H2Load.Run(s.RawPort, file, s.Clients, s.Streams, s.PrimeSeconds);
            H2Load.Run(s.ServerPort, file, s.Clients, s.Streams, s.PrimeSeconds);
        }

        // Maximum rate, rotating which server goes first in each round.
        (ServerProcess Target, int Port)[] servers = [(empty, s.EmptyPort), (server, s.ServerPort), (raw, s.RawPort)];
        for (var round = 1; round <= s.Rounds; round++)
        {
            foreach (var (type, file) in frames)
            {
                var order = servers.Skip((round - 1) % servers.Length).Concat(servers.Take((round - 1) % servers.Length));
                foreach (var (target, port) in order)
                {
                    H2Load.Run(port, file, s.Clients, s.Streams, s.WarmupSeconds);
                    var before = target.CpuSeconds();
                    var result = H2Load.Run(port, file, s.Clients, s.Streams, s.Seconds);
                    var cpu = target.CpuSeconds() - before;
                    report.Max(round, type, target.Name, result, cpu);
                    Console.WriteLine($"round {round} {type,-12} {target.Name,-9} {result.Done / result.Seconds,10:F0} req/s  {cpu / Math.Max(1, result.Done) * 1e6,7:F1} µs CPU/req  failed {result.Failed + result.Errored}");
                }
            }

            if (report.SessionOverBearer(round) is { } ratio)
            {
                Console.WriteLine($"round {round} session / owner ExtAuthz CPU per request: {ratio:F2} (target ≤ 1.05)");
            }
        }

        // Where the time goes: a sampled trace of each server under the first request type (not measured for ratios).
        if (s.TraceSeconds > 0)
        {
            foreach (var (target, port) in new[] { (server, s.ServerPort), (empty, s.EmptyPort), (raw, s.RawPort) })
            {
                var top = Profiler.Trace(target, () => H2Load.Run(port, frames.Values.First(), s.Clients, s.Streams, s.TraceSeconds + 2), s.TraceSeconds, work);
                report.Note(top is null ? $"no trace of {target.Name} (dotnet-trace not found: dotnet tool restore)" : $"trace of {target.Name}: {target.Name}-trace-top.txt");
            }
        }

        // Where the CPU goes: perf samples on-CPU stacks of each server (kernel, runtime and JIT code alike).
        if (s.PerfSeconds > 0)
        {
            foreach (var (target, port) in new[] { (server, s.ServerPort), (empty, s.EmptyPort), (raw, s.RawPort) })
            {
                var top = Profiler.CpuProfile(target, () => H2Load.Run(port, frames.Values.First(), s.Clients, s.Streams, s.PerfSeconds + 2), s.PerfSeconds, work);
                report.Note(top is null ? $"no CPU profile of {target.Name} (perf not found or refused)" : $"CPU profile of {target.Name}: {target.Name}-perf-top.txt");
            }
        }

        // Fixed rate at half the lower of the two maxima, same rate for both servers.
        var firstType = frames.Keys.First();
        var rate = (int)(0.5 * Math.Min(report.MedianRps(firstType, "empty"), report.MedianRps(firstType, "extauthz")));
        var perClient = Math.Max(1, rate / s.Clients);
        for (var round = 1; round <= s.RateRounds; round++)
        {
            var order = round % 2 == 1 ? new[] { (empty, s.EmptyPort), (server, s.ServerPort) } : [(server, s.ServerPort), (empty, s.EmptyPort)];
            foreach (var (target, port) in order)
            {
                var log = Path.Combine(work, $"latency-{target.Name}-{round}.tsv");
                File.Delete(log);
                H2Load.Run(port, frames[firstType], s.Clients, 32, s.WarmupSeconds, perClient);
                var result = H2Load.Run(port, frames[firstType], s.Clients, 32, s.RateSeconds, perClient, log);
                var p = H2Load.Percentiles(log);
                report.Rate(round, firstType, target.Name, perClient * s.Clients, result, p);
                Console.WriteLine($"rate round {round} {target.Name,-9} {perClient * s.Clients} req/s  p50 {p.P50:F3} ms  p99 {p.P99:F3} ms  p99.9 {p.P999:F3} ms");
            }
        }

        report.Rss(server.PeakRssMiB(), empty.PeakRssMiB(), raw.PeakRssMiB());
        var markdown = report.ToMarkdown();
        await File.WriteAllTextAsync(Path.Combine(work, "results.md"), markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        return 0;
    }

    /// <summary>
    /// The request types: the namespace owner, a contributor with edit, a user with no access, nobody, and the owner's
    /// same request carrying a session cookie of our login instead of a bearer token.
    /// </summary>
    private static (string Method, string Path, string User) Shape(string type) => type switch
    {
        "owner" or "session" => ("GET", $"/notebook/{ClusterGenerator.Namespace(1)}/nb-1/api/kernels?1772360130", ClusterGenerator.User(1)),
        "contributor" => ("POST", $"/notebook/{ClusterGenerator.Namespace(1)}/nb-1/api/sessions", ClusterGenerator.User(2)),
        "deny" => ("GET", $"/notebook/{ClusterGenerator.Namespace(1)}/nb-1/api/kernels?1772360130", ClusterGenerator.User(5000)),
        "anonymous" => ("GET", $"/notebook/{ClusterGenerator.Namespace(1)}/nb-1/api/kernels", ""),
        _ => throw new ArgumentException($"unknown request type {type}"),
    };

    private static async Task<(CheckRequest Request, string Credential)> TokenRequestAsync(int opsPort, string method, string path, string user)
    {
        var token = await MintAsync(opsPort, user);
        return (IstioCheckRequest.Create(method, path, token), token is null ? "" : "RS256 JWT");
    }

    /// <summary>
    /// The owner's request as a browser that signed in sends it: no <c>authorization</c>, the session cookie beside
    /// its other cookies. The session comes from the code flow through this server, started from the notebook's page.
    /// </summary>
    private static async Task<CheckRequest> SessionRequestAsync(int grpcPort, string method, string path, string user)
    {
        var page = path[..(path.IndexOf("/api/", StringComparison.Ordinal) + 1)];
        var cookie = await SessionLogin.SignInAsync(grpcPort, user, page);
        return IstioCheckRequest.Create(method, path, token: null, destination: null, ("cookie", cookie));
    }

    private static async Task<string?> MintAsync(int opsPort, string user)
    {
        if (user.Length == 0)
        {
            return null;
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{opsPort}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.PostAsJsonAsync("/dev/token", new { user, groups = new[] { "kubeflow-users" } });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            return body?["token"]?.GetValue<string>();
        }
        catch (HttpRequestException)
        {
            // No development issuer in this build: a token-shaped string still exercises the token path.
            return "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"email\":\"{user}\"}}")).TrimEnd('=') + "." + new string('s', 342);
        }
    }

    private static async Task<TimeSpan?> WaitReadyAsync(int opsPort, ServerProcess server, TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{opsPort}"), Timeout = TimeSpan.FromSeconds(2) };
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < limit && !server.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return DateTime.UtcNow - started;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        if (server.HasExited)
        {
            throw new InvalidOperationException("the ExtAuthz server exited; see server.log");
        }

        return null;
    }

    private static async Task WaitListeningAsync(int port)
    {
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(250);
            }
        }

        throw new InvalidOperationException($"nothing listens on {port}");
    }
}
