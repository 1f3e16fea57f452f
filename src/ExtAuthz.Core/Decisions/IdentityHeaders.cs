using ExtAuthz.Core.Configuration;

namespace ExtAuthz.Core.Decisions;

/// <summary>
/// The identity headers a client might send to impersonate someone. Every allow removes all of them, except
/// the ones it sets itself (which it overwrites).
/// </summary>
public sealed class IdentityHeaders
{
    private static readonly string[] s_wellKnown =
    [
        "kubeflow-userid", "kubeflow-groups", "x-goog-authenticated-user-email", "x-goog-authenticated-user-id",
    ];

    public IdentityHeaders(HeadersOptions options)
    {
        UserId = options.UserId.ToLowerInvariant();
        Groups = options.Groups.ToLowerInvariant();
        All = [.. s_wellKnown.Append(UserId).Append(Groups).Distinct(StringComparer.Ordinal)];
        AllButUserId = [.. All.Where(h => h != UserId)];
        AllButUserIdAndGroups = [.. AllButUserId.Where(h => h != Groups)];
    }

    /// <summary>The header carrying the user id (<c>Headers:UserId</c>).</summary>
    public string UserId { get; }

    /// <summary>The header carrying the groups (<c>Headers:Groups</c>).</summary>
    public string Groups { get; }

    /// <summary>Every identity header: removed on an anonymous allow.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>Removed on an allow that sets the user id but no groups.</summary>
    public IReadOnlyList<string> AllButUserId { get; }

    /// <summary>Removed on an allow that sets both user id and groups.</summary>
    public IReadOnlyList<string> AllButUserIdAndGroups { get; }
}
