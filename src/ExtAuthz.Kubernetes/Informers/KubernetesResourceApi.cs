using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>
/// <see cref="IResourceApi"/> over KubernetesClient's custom-object calls, which build
/// <c>/apis/{group}/{version}/{plural}</c> and return raw JSON: that is the cluster-wide Profile list and also the
/// all-namespaces RoleBinding list, so both resources share one untyped path (a typed RoleBinding list would fail
/// whole on one bad item). Only the non-obsolete watch API is used. The client is created on first use, so a missing
/// kubeconfig is a reported, retried failure rather than a crash at start.
/// </summary>
internal sealed class KubernetesResourceApi : IResourceApi
{
    private readonly Lazy<IKubernetes> _connection;
    private readonly string _group;
    private readonly string _version;
    private readonly string _plural;

    public KubernetesResourceApi(Lazy<IKubernetes> connection, string group, string version, string plural)
    {
        _connection = connection;
        _group = group;
        _version = version;
        _plural = plural;
        Resource = $"{plural}.{group}/{version}";
    }

    public string Resource { get; }

    public async Task<ListPage> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var result = await _connection.Value.CustomObjects.ListClusterCustomObjectAsync(
            _group, _version, _plural, continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken);
        var list = result is JsonElement element ? element : JsonSerializer.SerializeToElement(result);
        return ReadPage(list);
    }

    public async IAsyncEnumerable<(WatchEventType Type, JsonElement Object)> WatchAsync(string resourceVersion, TimeSpan timeout,
        Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = _connection.Value.CustomObjects.WatchListClusterCustomObjectAsync(
            _group, _version, _plural,
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: (int)Math.Ceiling(timeout.TotalSeconds),
            onError: onError,
            cancellationToken: cancellationToken);

        await foreach (var (type, obj) in events.WithCancellation(cancellationToken))
        {
            yield return (type, obj is JsonElement element ? element : JsonSerializer.SerializeToElement(obj));
        }
    }

    internal static ListPage ReadPage(JsonElement list)
    {
        var items = new List<JsonElement>();
        if (list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                items.Add(item);
            }
        }

        string? resourceVersion = null;
        string? next = null;
        if (list.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            resourceVersion = metadata.TryGetProperty("resourceVersion", out var rv) && rv.ValueKind == JsonValueKind.String ? rv.GetString() : null;
            next = metadata.TryGetProperty("continue", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }

        if (string.IsNullOrEmpty(resourceVersion))
        {
            throw new InvalidDataException("the list carries no metadata.resourceVersion");
        }

        return new ListPage(items, resourceVersion, string.IsNullOrEmpty(next) ? null : next);
    }
}
