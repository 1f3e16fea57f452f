using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using ExtAuthz.Controller.Hosting;
using ExtAuthz.Controller.Plugins;
using ExtAuthz.Controller.Plugins.AwsIam;
using ExtAuthz.Controller.Plugins.WorkloadIdentity;
using ExtAuthz.Controller.Tests.Fakes;
using ExtAuthz.Kubernetes.Tests.Fakes;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ExtAuthz.Controller.Tests;

/// <summary>
/// The fake API server, the fake IAM API and one controller runtime wired to both. Tests either run the informers and
/// call the reconciler directly (deterministic: <see cref="ReconcileAsync"/> after <see cref="SettleAsync"/>), or run
/// the whole controller with <see cref="RunController"/>.
/// </summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    public const string Gsa = "notebooks@ml-project-1.iam.gserviceaccount.com";
    public const string GsaResource = "projects/ml-project-1/serviceAccounts/" + Gsa;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ControllerRuntime> _runtimes = [];
    private readonly List<Task> _running = [];
    private readonly HttpClient _http = new();

    private ControllerHarness(FakeKubernetesApi api, FakeGcpIam iam, FakeAwsIam aws)
    {
        Api = api;
        Iam = iam;
        Aws = aws;
    }

    public const string ProviderArn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";

    public FakeAwsIam Aws { get; }

    public FakeKubernetesApi Api { get; }

    public FakeGcpIam Iam { get; }

    /// <summary>The clock of the IAM client (its timeouts).</summary>
    public FakeTimeProvider IamClock { get; } = new();

    public ControllerRuntime Runtime => _runtimes[0];

    public FakeResource Namespaces => Api.Core("namespaces");

    public FakeResource ServiceAccounts => Api.Core("serviceaccounts");

    public FakeResource Quotas => Api.Core("resourcequotas");

    public FakeResource Policies => Api.Group("security.istio.io", "v1", "authorizationpolicies");

    public static async Task<ControllerHarness> StartAsync(Action<ControllerOptions>? configure = null, bool informers = true)
    {
        var api = new FakeKubernetesApi();
        await api.StartAsync();
        var iam = new FakeGcpIam();
        await iam.StartAsync();
        var aws = new FakeAwsIam();
        await aws.StartAsync();
        var harness = new ControllerHarness(api, iam, aws);
        var runtime = harness.NewRuntime(configure);
        if (informers)
        {
            harness._running.Add(runtime.Cache.RunAsync(harness._stop.Token));
            await Eventually.True(() => runtime.Cache.Synced, "informers synced");
        }

        return harness;
    }

    public static ControllerOptions Options(Action<ControllerOptions>? configure)
    {
        var options = new ControllerOptions { LeaderElection = { Enabled = false }, Workers = 2, RevokeAttempts = 3 };
        configure?.Invoke(options);
        return options;
    }

    public ControllerRuntime NewRuntime(Action<ControllerOptions>? configure = null, ILoggerFactory? loggers = null)
    {
        var options = Options(configure);
        options.ApiServer = Api.Url;
        var connection = new Lazy<IKubernetes>(() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Api.Url }));
        var client = new GcpIamClient(_http, Iam.Url, new StaticToken(), options.WorkloadIdentity.Timeout, IamClock);
        var awsCredentials = new AwsCredentials("AKIDTEST", "secret", null);
        var awsClient = new AwsIamClient(_http, Aws.Url, _ => Task.FromResult(awsCredentials), options.AwsIam.Timeout, IamClock);
        IProfilePlugin[] plugins =
        [
            new WorkloadIdentityPlugin(client, "cluster-project"),
            new AwsIamPlugin(awsClient, ProviderArn, options.AwsIam.TrustPolicySizeLimit),
        ];
        var runtime = new ControllerRuntime(options, connection, plugins, TimeProvider.System, loggers ?? NullLoggerFactory.Instance);
        _runtimes.Add(runtime);
        return runtime;
    }

    /// <summary>Runs a runtime whole (informers, leadership, workers) until the harness is disposed.</summary>
    public void RunController(ControllerRuntime runtime) => _running.Add(runtime.RunAsync(_stop.Token));

    /// <summary>Runs a runtime whole until <paramref name="stop"/> (or the harness's end); the task ends when it has shut down.</summary>
    public Task RunController(ControllerRuntime runtime, CancellationToken stop)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, stop);
        var run = runtime.RunAsync(linked.Token).ContinueWith(
            t =>
            {
                linked.Dispose();
                return t;
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        _running.Add(run);
        return run;
    }

    /// <summary>Puts a Profile into the cluster and waits until the cache has it.</summary>
    public async Task<JsonObject> AddProfileAsync(JsonObject profile)
    {
        Api.Profiles.Put(profile);
        await SettleAsync();
        return profile;
    }

    public async Task<bool> ReconcileAsync(string name)
    {
        await SettleAsync();
        var retry = await Runtime.Reconciler.ReconcileAsync(name, CancellationToken.None);
        await SettleAsync();
        return retry;
    }

    /// <summary>Waits until the cache holds exactly what the API server holds (same keys, same resourceVersions).</summary>
    public Task SettleAsync() => Eventually.True(() =>
        Same(Api.Profiles, Runtime.Cache.Profiles) && ManagedKind.Owned.All(k => Same(Api.Resource(Path(k)), Runtime.Cache.Of(k))), "cache caught up");

    public JsonObject? Profile(string name) => Api.Profiles.Get(name);

    public JsonObject? Condition(string profile, string type) =>
        (Profile(profile)?["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    /// <summary>Writes (other than Events) whose target lies in namespace (or is the namespace) <paramref name="ns"/>.</summary>
    public List<FakeWrite> WritesInto(string ns) =>
        [.. Api.Writes.Where(w => w.Target.Plural != "events" && (w.Target.Namespace == ns || (w.Target.Plural == "namespaces" && w.Target.Name == ns)))];

    public static string Path(ManagedKind kind) => kind.Group.Length == 0 ? $"/api/v1/{kind.Plural}" : $"/apis/{kind.Group}/{kind.Version}/{kind.Plural}";

    private static bool Same(FakeResource resource, ObjectStore store)
    {
        var objects = resource.Objects();
        return objects.Count == store.Count && objects.All(o =>
            store.Get(Meta.Namespace(o), Meta.Name(o)) is { } cached && Meta.ResourceVersion(cached) == Meta.ResourceVersion(o));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var runtime in _runtimes)
        {
            runtime.Dispose();
        }

        await Api.DisposeAsync();
        await Iam.DisposeAsync();
        await Aws.DisposeAsync();
        _http.Dispose();
    }

    private sealed class StaticToken : IAccessTokenSource
    {
        public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult("test-token");
    }
}
