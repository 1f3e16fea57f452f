namespace ExtAuthz.Core.Configuration;

/// <summary><c>Policy:Kubernetes</c>: how the list/watch source pages, watches and backs off.</summary>
public sealed class KubernetesSourceOptions
{
    /// <summary>Objects per list page (<c>limit</c>); 100,000 RoleBindings never arrive in one response.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>The server-side <c>timeoutSeconds</c> of one watch; the watch is then resumed from its resourceVersion.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first retry delay after a failure; doubled per consecutive failure, with jitter.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The Profile version to list and watch; v1 is the storage version, v1beta1 objects are served as v1 too.</summary>
    public string ProfileVersion { get; set; } = "v1";
}
