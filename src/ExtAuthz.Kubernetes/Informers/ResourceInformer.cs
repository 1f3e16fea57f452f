using System.Net;
using System.Text.Json;
using ExtAuthz.Kubernetes.Objects;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>
/// Keeps one resource in the index: a paged list, then a watch from the list's resourceVersion (with bookmarks),
/// resumed from the last resourceVersion seen whenever it ends or drops, and a relist when the server answers
/// 410 Gone (as an HTTP status or as an ERROR event). Failures back off exponentially with jitter; a malformed
/// object is logged and skipped. After a failure, a one-item list probes the server before the watch resumes, so
/// <c>/readyz</c> shows the connection back even when nothing changes. The client library's quirks it absorbs are
/// in reference/kubernetes-client.md.
/// </summary>
internal sealed class ResourceInformer<T>
    where T : class
{
    // The client-side deadline of a watch, past the server's own timeoutSeconds.
    private static readonly TimeSpan s_deadlineGrace = TimeSpan.FromSeconds(15);

    private readonly IResourceApi _api;
    private readonly IResourceStore<T> _store;
    private readonly int _pageSize;
    private readonly TimeSpan _watchTimeout;
    private readonly Backoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private InformerStatus _status;

    public ResourceInformer(IResourceApi api, IResourceStore<T> store, int pageSize, TimeSpan watchTimeout, Backoff backoff,
        TimeProvider time, ILogger logger)
    {
        _api = api;
        _store = store;
        _pageSize = pageSize;
        _watchTimeout = watchTimeout;
        _backoff = backoff;
        _time = time;
        _logger = logger;
        _status = new InformerStatus { Resource = api.Resource };
    }

    public InformerStatus Status => Volatile.Read(ref _status);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var operation = "list";
            try
            {
                resourceVersion ??= await ListAsync(cancellationToken);
                if (_backoff.Failures > 0)
                {
                    // A watch says nothing until its first event; a one-item list proves the server is back.
                    operation = "probe";
                    await _api.ListAsync(null, 1, cancellationToken);
                    Recovered();
                }

                operation = "watch";
                var (next, failure) = await WatchAsync(resourceVersion, cancellationToken);
                resourceVersion = next;
                if (failure is not null)
                {
                    await FailedAsync(operation, failure, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
            {
                // An expired continue token or a watch resourceVersion the server no longer has.
                IndexSourceLog.Gone(_logger, _api.Resource, resourceVersion);
                resourceVersion = null;
            }
            catch (Exception ex)
            {
                try
                {
                    await FailedAsync(operation, ex, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Reads every page and replaces the resource in the index; returns the list's resourceVersion.</summary>
    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        Update(s => s with { Phase = "listing" });
        var items = new List<T>();
        var malformed = 0;
        string? token = null;
        string resourceVersion;
        var pages = 0;
        do
        {
            var page = await _api.ListAsync(token, _pageSize, cancellationToken);
            pages++;
            foreach (var obj in page.Items)
            {
                if (_store.TryRead(obj, out var item, out var error))
                {
                    items.Add(item!);
                }
                else
                {
                    malformed++;
                    IndexSourceLog.Malformed(_logger, _api.Resource, KubeObjectReader.KeyOf(obj)?.ToString() ?? "(no name)", error!);
                }
            }

            token = page.Continue;
            resourceVersion = page.ResourceVersion;
        }
        while (token is not null);

        // Connected before the index can publish: the last resource's list is what makes /readyz ready.
        Recovered();
        _store.Replace(items);
        var now = _time.GetUtcNow();
        Update(s => s with
        {
            Synced = true,
            ResourceVersion = resourceVersion,
            LastListAt = now,
            Lists = s.Lists + 1,
            MalformedObjects = s.MalformedObjects + malformed,
        });
        IndexSourceLog.Listed(_logger, _api.Resource, items.Count, pages, resourceVersion);
        return resourceVersion;
    }

    /// <summary>
    /// One watch. Returns the resourceVersion to resume from (null: relist after 410) and a failure to back off
    /// from, or null when the watch simply ended (its timeout, a dropped stream after progress).
    /// </summary>
    private async Task<(string? ResourceVersion, Exception? Failure)> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        Update(s => s with { Phase = "watching", Watches = s.Watches + 1 });
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(_watchTimeout + s_deadlineGrace, _time);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var gone = false;
        Exception? errorEvent = null;
        var events = 0;

        // ERROR events are not yielded by the client: they arrive here, and the watch itself keeps waiting.
        void OnError(Exception ex)
        {
            if (ex is KubernetesException { Status.Code: 410 })
            {
                gone = true;
                watch.Cancel();
            }
            else if (ex is KubernetesException kubernetes)
            {
                errorEvent = kubernetes;
                watch.Cancel();
            }
            else
            {
                Update(s => s with { MalformedObjects = s.MalformedObjects + 1 });
                IndexSourceLog.WatchError(_logger, _api.Resource, ex.Message);
            }
        }

        try
        {
            await foreach (var (type, obj) in _api.WatchAsync(resourceVersion, _watchTimeout, OnError, watch.Token))
            {
                if (events++ == 0)
                {
                    Recovered();
                }

                if (type == WatchEventType.Error)
                {
                    gone = obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number
                        && code.GetInt32() == 410;
                    errorEvent = gone ? null : new InvalidDataException($"watch ERROR event: {obj}");
                    break;
                }

                Apply(type, obj);
                resourceVersion = KubeObjectReader.ResourceVersionOf(obj) ?? resourceVersion;
                var now = _time.GetUtcNow();
                var rv = resourceVersion;
                Update(s => s with { ResourceVersion = rv, LastEventAt = now, Events = s.Events + 1 });
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Ours: a 410 or an error event above, or the client-side deadline.
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not HttpOperationException)
        {
            // The client throws when a watch ends, even at its own timeout with no event; only a watch that made
            // no progress before its time was up is a failure.
            if (!gone && errorEvent is null && events == 0 && _time.GetElapsedTime(started) < _watchTimeout)
            {
                return (resourceVersion, ex);
            }
        }

        if (gone)
        {
            IndexSourceLog.Gone(_logger, _api.Resource, resourceVersion);
            return (null, null);
        }

        IndexSourceLog.WatchEnded(_logger, _api.Resource, resourceVersion, events);
        return (resourceVersion, errorEvent);
    }

    private void Apply(WatchEventType type, JsonElement obj)
    {
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                if (_store.TryRead(obj, out var item, out var error))
                {
                    _store.Upsert(item!);
                    return;
                }

                // What the cluster now holds is unreadable: drop what we had rather than keep a stale grant.
                var key = KubeObjectReader.KeyOf(obj);
                IndexSourceLog.Malformed(_logger, _api.Resource, key?.ToString() ?? "(no name)", error!);
                Update(s => s with { MalformedObjects = s.MalformedObjects + 1 });
                if (key is { } stale)
                {
                    _store.Delete(stale);
                }

                return;
            case WatchEventType.Deleted:
                var deleted = _store.TryRead(obj, out var gone, out _) ? _store.KeyOf(gone!) : KubeObjectReader.KeyOf(obj);
                if (deleted is { } k)
                {
                    _store.Delete(k);
                }

                return;
            default:
                // BOOKMARK: only its resourceVersion matters.
                return;
        }
    }

    private async Task FailedAsync(string operation, Exception failure, CancellationToken cancellationToken)
    {
        var delay = _backoff.Next();
        var now = _time.GetUtcNow();
        var message = Describe(failure);
        Update(s => s with
        {
            Phase = "retrying",
            Connected = false,
            ConsecutiveFailures = _backoff.Failures,
            LastError = $"{operation}: {message}",
            LastErrorAt = now,
        });
        IndexSourceLog.Failed(_logger, _api.Resource, operation, _backoff.Failures, delay, message);
        await Task.Delay(delay, _time, cancellationToken);
    }

    private void Recovered()
    {
        if (_backoff.Failures > 0)
        {
            IndexSourceLog.Recovered(_logger, _api.Resource);
        }

        _backoff.Reset();
        Update(s => s with { Connected = true, ConsecutiveFailures = 0 });
    }

    private void Update(Func<InformerStatus, InformerStatus> change) => Volatile.Write(ref _status, change(_status));

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = $"{message} ({inner.Message})";
        }

        return ex is HttpOperationException http && http.Response is { } response ? $"HTTP {(int)response.StatusCode}: {message}" : message;
    }
}
