namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the access index reports on <c>/metrics</c>.</summary>
public interface IIndexStats
{
    int Profiles { get; }

    int RoleBindings { get; }

    /// <summary>When the current snapshot was published; null before the first load.</summary>
    DateTimeOffset? UpdatedAt { get; }
}
