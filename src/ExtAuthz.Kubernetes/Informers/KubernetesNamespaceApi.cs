using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Core.Access;
using k8s;
using k8s.Models;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>
/// <see cref="IResourceApi"/> for core/v1 Namespaces (<c>/api/v1/namespaces</c>, cluster-scoped). The core group has no
/// untyped custom-object path, so this reads the client's typed list and non-obsolete watch and hands the informer
/// only what the index keeps: name, resourceVersion and the <c>owner</c> annotation, so a cluster's thousands of
/// Namespaces cost a few strings each. (The API server validates Namespaces itself, so a typed list cannot be failed
/// by one malformed item the way a custom resource's could.)
/// </summary>
internal sealed class KubernetesNamespaceApi : IResourceApi
{
    private readonly Lazy<IKubernetes> _connection;

    public KubernetesNamespaceApi(Lazy<IKubernetes> connection) => _connection = connection;

    public string Resource => "namespaces/v1";

    public async Task<ListPage> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var list = await _connection.Value.CoreV1.ListNamespaceAsync(continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken);
        var resourceVersion = list.Metadata?.ResourceVersion;
        if (string.IsNullOrEmpty(resourceVersion))
        {
            throw new InvalidDataException("the list carries no metadata.resourceVersion");
        }

        var next = list.Metadata?.ContinueProperty;
        return new ListPage([.. (list.Items ?? []).Select(Project)], resourceVersion, string.IsNullOrEmpty(next) ? null : next);
    }

    public async IAsyncEnumerable<(WatchEventType Type, JsonElement Object)> WatchAsync(string resourceVersion, TimeSpan timeout,
        Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = _connection.Value.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: (int)Math.Ceiling(timeout.TotalSeconds),
            onError: onError,
            cancellationToken: cancellationToken);

        await foreach (var (type, ns) in events.WithCancellation(cancellationToken))
        {
            yield return (type, Project(ns));
        }
    }

    /// <summary>The Namespace as the little JSON object <c>KubeObjectReader.TryReadNamespace</c> reads.</summary>
    internal static JsonElement Project(V1Namespace? ns)
    {
        var metadata = new JsonObject();
        if (ns?.Metadata is { } source)
        {
            if (source.Name is { } name)
            {
                metadata["name"] = name;
            }

            if (source.ResourceVersion is { } resourceVersion)
            {
                metadata["resourceVersion"] = resourceVersion;
            }

            if (source.Annotations is { } annotations && annotations.TryGetValue(NamespaceRecord.OwnerAnnotation, out var owner) && owner is not null)
            {
                metadata["annotations"] = new JsonObject { [NamespaceRecord.OwnerAnnotation] = owner };
            }
        }

        return JsonSerializer.SerializeToElement(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata });
    }
}
