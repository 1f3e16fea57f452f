using System.Text.Json;
using k8s;

namespace ExtAuthz.Kubernetes.Informers;

/// <summary>List and watch of one resource, objects as raw JSON so one bad object never fails a whole list.</summary>
internal interface IResourceApi
{
    /// <summary>For logs and <c>/readyz</c>, e.g. <c>profiles.kubeflow.org/v1</c>.</summary>
    string Resource { get; }

    Task<ListPage> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>Watch from <paramref name="resourceVersion"/> with bookmarks; error events go to <paramref name="onError"/>.</summary>
    IAsyncEnumerable<(WatchEventType Type, JsonElement Object)> WatchAsync(string resourceVersion, TimeSpan timeout,
        Action<Exception> onError, CancellationToken cancellationToken);
}

/// <summary>One page of a list: its items, the list's resourceVersion, and the token for the next page.</summary>
internal sealed record ListPage(IReadOnlyList<JsonElement> Items, string ResourceVersion, string? Continue);
