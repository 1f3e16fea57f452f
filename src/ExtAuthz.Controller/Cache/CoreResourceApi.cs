using System.Runtime.CompilerServices;
using System.Text.Json;
using ExtAuthz.Kubernetes.Informers;
using k8s;

namespace ExtAuthz.Controller.Cache;

/// <summary>
/// List and watch of a core (<c>/api/v1</c>) kind across all namespaces through KubernetesClient's typed calls
/// (the custom-object calls only build <c>/apis/…</c> paths). Objects are handed on as JSON, like the custom kinds.
/// </summary>
internal sealed class CoreResourceApi : IResourceApi
{
    private readonly Lazy<IKubernetes> _connection;
    private readonly ManagedKind _kind;

    public CoreResourceApi(Lazy<IKubernetes> connection, ManagedKind kind)
    {
        _connection = connection;
        _kind = kind;
        Resource = kind.ToString() + "/v1";
    }

    public string Resource { get; }

    public async Task<ListPage> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var core = _connection.Value.CoreV1;
        object list = _kind.Plural switch
        {
            "namespaces" => await core.ListNamespaceAsync(continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken),
            "serviceaccounts" => await core.ListServiceAccountForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken),
            "resourcequotas" => await core.ListResourceQuotaForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken),
            _ => throw new NotSupportedException(_kind.ToString()),
        };
        return KubernetesResourceApi.ReadPage(ToElement(list));
    }

    public IAsyncEnumerable<(WatchEventType Type, JsonElement Object)> WatchAsync(string resourceVersion, TimeSpan timeout,
        Action<Exception> onError, CancellationToken cancellationToken)
    {
        var core = _connection.Value.CoreV1;
        var seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        return _kind.Plural switch
        {
            "namespaces" => Elements(core.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken), cancellationToken),
            "serviceaccounts" => Elements(core.WatchListServiceAccountForAllNamespacesAsync(allowWatchBookmarks: true,
                resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken), cancellationToken),
            "resourcequotas" => Elements(core.WatchListResourceQuotaForAllNamespacesAsync(allowWatchBookmarks: true,
                resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken), cancellationToken),
            _ => throw new NotSupportedException(_kind.ToString()),
        };
    }

    private static async IAsyncEnumerable<(WatchEventType, JsonElement)> Elements<T>(IAsyncEnumerable<(WatchEventType, T)> events,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, obj) in events.WithCancellation(cancellationToken))
        {
            yield return (type, ToElement(obj!));
        }
    }

    private static JsonElement ToElement(object obj) => JsonDocument.Parse(KubernetesJson.Serialize(obj)).RootElement;
}
