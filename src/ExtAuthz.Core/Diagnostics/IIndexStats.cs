namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the access index and its source report on <c>/metrics</c>.</summary>
public interface IIndexStats
{
    int Profiles { get; }

    int RoleBindings { get; }

    /// <summary>When the current snapshot was published; null before the first load.</summary>
    DateTimeOffset? UpdatedAt { get; }

    /// <summary>Watches that ended and were started again (Kubernetes source); 0 for the directory source.</summary>
    long WatchRestarts { get; }

    /// <summary>Full lists after a watch could not resume (410 Gone), or directory re-reads.</summary>
    long Relists { get; }
}
