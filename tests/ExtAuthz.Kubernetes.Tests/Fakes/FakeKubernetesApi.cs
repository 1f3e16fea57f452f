using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>
/// An in-process Kubernetes API server on loopback that speaks the list/watch protocol the way kube-apiserver does:
/// paged lists (<c>limit</c>, <c>continue</c>, a list resourceVersion), and watches from a resourceVersion that
/// stream one JSON event per line over a chunked response — ADDED, MODIFIED, DELETED, BOOKMARK, and ERROR with a
/// 410 Status when the resourceVersion has been compacted (or HTTP 410, as some paths answer). Tests can drop
/// streams (also halfway through an event), take the server down and bring it back, and plant malformed objects.
/// </summary>
internal sealed partial class FakeKubernetesApi : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, List<string>> _listSnapshots = new();
    private long _version = 1000;
    private WebApplication? _app;

    /// <param name="port">A fixed port, for a server that must be found where it is not listening yet; otherwise any free one.</param>
    public FakeKubernetesApi(int? port = null)
    {
        Port = port ?? 0;
        Profiles = new FakeResource("/apis/kubeflow.org/v1/profiles", "ProfileList", _gate, NextVersion);
        RoleBindings = new FakeResource("/apis/rbac.authorization.k8s.io/v1/rolebindings", "RoleBindingList", _gate, NextVersion);
        Namespaces = new FakeResource("/api/v1/namespaces", "NamespaceList", _gate, NextVersion);
    }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    public FakeResource Profiles { get; }

    public FakeResource RoleBindings { get; }

    public FakeResource Namespaces { get; }

    private FakeResource[] Resources => [Profiles, RoleBindings, Namespaces];

    /// <summary>Every request as "METHOD path?query", in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>While true, every request's connection is reset before an answer.</summary>
    public bool Down { get; private set; }

    /// <summary>Answer a too-old watch with HTTP 410 instead of a 200 carrying an ERROR event.</summary>
    public bool GoneAsHttpStatus { get; set; }

    public long CurrentVersion
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (Down)
            {
                context.Abort();
                return;
            }

            await next(context);
        });
        app.MapGet(Profiles.Path, context => Serve(context, Profiles));
        app.MapGet(RoleBindings.Path, context => Serve(context, RoleBindings));
        app.MapGet(Namespaces.Path, context => Serve(context, Namespaces));
        MapObjectRoutes(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            DropWatches();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public void SetDown(bool down)
    {
        Down = down;
        if (down)
        {
            DropWatches();
        }
    }

    /// <summary>Resets every open watch connection.</summary>
    public void DropWatches()
    {
        foreach (var resource in Resources)
        {
            resource.Broadcast(new WatchCommand(null, WatchAction.Drop));
        }
    }

    /// <summary>Compacts every resource at the current version and sends open watches an ERROR 410 event (their streams stay open).</summary>
    public void ExpireWatches()
    {
        var now = CurrentVersion;
        foreach (var resource in Resources)
        {
            resource.Compact(now);
            resource.Broadcast(new WatchCommand(FakeResource.GoneEvent(now - 1, now), WatchAction.Send));
        }
    }

    /// <summary>Resource paths whose lists answer 500 (the watch still works), as an API server with a sick aggregator might.</summary>
    public ConcurrentDictionary<string, bool> FailingLists { get; } = new();

    /// <summary>Watch requests for a resource ("/profiles", "/rolebindings", "/namespaces").</summary>
    public int CountWatches(string resource) => Requests.Count(r => IsFor(r, resource) && r.Contains("watch=true", StringComparison.Ordinal));

    /// <summary>List pages for a resource, not counting one-item probes.</summary>
    public int CountListPages(string resource) => Requests.Count(r => IsFor(r, resource) && IsList(r));

    /// <summary>Full lists begun (a first page) for a resource: the first sync and every relist.</summary>
    public int CountListStarts(string resource) =>
        Requests.Count(r => IsFor(r, resource) && IsList(r) && !r.Contains("continue=", StringComparison.Ordinal));

    private static bool IsFor(string request, string resource) => request.Contains(resource + "?", StringComparison.Ordinal);

    private static bool IsList(string request) =>
        !request.Contains("watch=true", StringComparison.Ordinal) && !request.Contains("limit=1&", StringComparison.Ordinal) && !request.EndsWith("limit=1", StringComparison.Ordinal);

    public async ValueTask DisposeAsync() => await StopAsync();

    private long NextVersion() => ++_version;

    /// <summary>Object routes (get, create, update, patch, delete) where a build includes them.</summary>
    partial void MapObjectRoutes(WebApplication app);

    private async Task Serve(HttpContext context, FakeResource resource)
    {
        var query = context.Request.Query;
        if (query["watch"] == "true")
        {
            await WatchAsync(context, resource, long.Parse(query["resourceVersion"].ToString(), CultureInfo.InvariantCulture),
                int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) ? seconds : 1800);
        }
        else if (FailingLists.ContainsKey(resource.Path))
        {
            await StatusAsync(context, 500, "InternalError", "etcdserver: request timed out");
        }
        else
        {
            await ListAsync(context, resource, int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var limit) ? limit : 0, query["continue"].ToString());
        }
    }

    private async Task ListAsync(HttpContext context, FakeResource resource, int limit, string token)
    {
        long listVersion;
        int offset;
        List<string> items;
        if (string.IsNullOrEmpty(token))
        {
            listVersion = CurrentVersion;
            offset = 0;
            items = resource.Items();
            _listSnapshots[$"{resource.Path}@{listVersion}"] = items;
        }
        else
        {
            var parts = token.Split(':');
            listVersion = long.Parse(parts[0], CultureInfo.InvariantCulture);
            offset = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (listVersion < resource.CompactedVersion || !_listSnapshots.TryGetValue($"{resource.Path}@{listVersion}", out items!))
            {
                await StatusAsync(context, 410, "Expired", "The provided continue parameter is too old");
                return;
            }
        }

        var count = limit > 0 ? Math.Min(limit, items.Count - offset) : items.Count - offset;
        var next = offset + count < items.Count ? $"{listVersion}:{offset + count}" : null;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $$"""{"apiVersion":"{{resource.ApiVersion}}","kind":"{{resource.ListKind}}","metadata":{"resourceVersion":"{{listVersion}}"{{(next is null ? "" : $",\"continue\":\"{next}\"")}}},"items":[""");
        body.AppendJoin(',', items.Skip(offset).Take(count));
        body.Append("]}");
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToString());
    }

    private async Task WatchAsync(HttpContext context, FakeResource resource, long version, int timeoutSeconds)
    {
        var channel = resource.Subscribe(version);
        if (channel is null && GoneAsHttpStatus)
        {
            await StatusAsync(context, 410, "Expired", $"too old resource version: {version} ({resource.CompactedVersion})");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));

        if (channel is null)
        {
            // As kube-apiserver does: 200, then one ERROR event. The stream stays open; the client must give up itself.
            await WriteLineAsync(context, FakeResource.GoneEvent(version, resource.CompactedVersion));
            try
            {
                await Task.Delay(Timeout.Infinite, timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        try
        {
            await foreach (var command in channel.Reader.ReadAllAsync(timeout.Token))
            {
                switch (command.Action)
                {
                    case WatchAction.Send:
                        await WriteLineAsync(context, command.Line!);
                        break;
                    case WatchAction.DropMidLine:
                        var bytes = Encoding.UTF8.GetBytes(command.Line!);
                        await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                        await context.Response.Body.FlushAsync();
                        context.Abort();
                        return;
                    default:
                        context.Abort();
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The watch's timeoutSeconds, or the client went away: the response simply ends.
        }
        finally
        {
            resource.Unsubscribe(channel);
        }
    }

    private static async Task WriteLineAsync(HttpContext context, string line)
    {
        await context.Response.WriteAsync(line + "\n");
        await context.Response.Body.FlushAsync();
    }

    private static async Task StatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message}}","reason":"{{reason}}","code":{{code}}}""");
    }
}
