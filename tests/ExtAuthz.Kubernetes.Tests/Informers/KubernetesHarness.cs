using ExtAuthz.Core.Access;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Paths;
using ExtAuthz.Core.Requests;
using ExtAuthz.Kubernetes.Tests.Fakes;
using k8s;

namespace ExtAuthz.Kubernetes.Tests.Informers;

/// <summary>The Kubernetes source with a real KubernetesClient against the fake API server, and the policy reading its index.</summary>
internal sealed class KubernetesHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly k8s.Kubernetes _client;

    public KubernetesHarness(FakeKubernetesApi api, int pageSize = 500, Func<k8s.Kubernetes, IKubernetes>? connect = null)
    {
        Api = api;
        Index = new AccessIndex(RoleMap.Default, TimeProvider.System);
        var options = new ExtAuthzOptions();
        options.Policy.ClusterAdmins = ["admin@example.com"];
        options.ApplyDefaults();
        Policy = KubeflowAccessPolicy.Create(options.Policy, Index);
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = api.Url });
        var source = new KubernetesSourceOptions
        {
            PageSize = pageSize,
            WatchTimeout = TimeSpan.FromSeconds(120),
            BackoffInitial = TimeSpan.FromMilliseconds(20),
            BackoffMax = TimeSpan.FromMilliseconds(200),
        };
        Logged = new ListLogger();
        Source = new KubernetesIndexSource(Index, () => connect is null ? _client : connect(_client), source, TimeProvider.System, new Random(7), Logged);
    }

    public FakeKubernetesApi Api { get; }

    public AccessIndex Index { get; }

    public KubeflowAccessPolicy Policy { get; }

    public KubernetesIndexSource Source { get; }

    public ListLogger Logged { get; }

    public Task StartAsync() => Source.StartAsync(_stop.Token);

    public string Describe() => System.Text.Json.JsonSerializer.Serialize(Policy.Describe(Source.Describe()));

    public Decision Decide(string user, string method, string target, params string[] groups) =>
        DecideAt(string.Empty, user, method, target, groups);

    /// <summary>A Check as a sidecar sends it: <paramref name="destination"/> is the workload's SPIFFE principal.</summary>
    public Decision DecideAt(string destination, string user, string method, string target, params string[] groups)
    {
        var input = new CheckInput(HeaderSlots.Default)
        {
            HasHttp = true,
            Method = method,
            Path = target,
            Host = "kubeflow.example.com",
            DestinationPrincipal = destination,
        };
        var principal = new Principal("https://dex.example.com", user, user, groups, DateTimeOffset.UtcNow.AddHours(1));
        return Policy.Authorize(input, PathNormalizer.Normalize(target), principal);
    }

    /// <summary>Waits until <paramref name="user"/>'s request gets <paramref name="reason"/>.</summary>
    public Task DecisionBecomes(string user, string method, string target, ReasonCode reason, params string[] groups) =>
        Eventually.True(() => Decide(user, method, target, groups).Reason == reason, $"{user} {method} {target} → {reason.ToWire()}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Source.StopAsync(CancellationToken.None);
        Source.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }
}
