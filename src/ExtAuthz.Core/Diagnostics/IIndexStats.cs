namespace ExtAuthz.Core.Diagnostics;

/// <summary>What the access index reports on <c>/metrics</c>.</summary>
public interface IIndexStats
{
    int Profiles { get; }

    int RoleBindings { get; }

    /// <summary>Profiles their Namespace did not adopt (missing, or another owner annotation): they grant nothing.</summary>
    int UnadoptedProfiles { get; }

    /// <summary>When the current snapshot was published; null before the first load.</summary>
    DateTimeOffset? UpdatedAt { get; }
}
