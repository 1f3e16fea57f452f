namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Writes workspaces and memberships where the index source reads them: the Kubernetes API server, or the folder of
/// the directory source. A write either lands whole or leaves nothing behind (each implementation undoes its own
/// half-done writes); the caller then waits for the index to show it.
/// </summary>
internal interface IWorkspaceWriter
{
    Task<WriteResult> CreateWorkspaceAsync(string name, string owner, CancellationToken cancellationToken);

    Task<WriteResult> DeleteWorkspaceAsync(string name, CancellationToken cancellationToken);

    Task<WriteResult> AddMemberAsync(MemberBinding binding, CancellationToken cancellationToken);

    Task<WriteResult> RemoveMemberAsync(MemberBinding binding, CancellationToken cancellationToken);
}

/// <summary>One membership as kfam writes it: the RoleBinding (and, when configured, the AuthorizationPolicy) of that name.</summary>
internal sealed record MemberBinding(string Namespace, string Name, string Email, string Role, string ClusterRole);

internal enum WriteStatus
{
    Done,
    Exists,
    NotFound,
    Refused,
    Failed,
    TimedOut,
    NotManaged,
}

/// <summary>How a write ended, with the detail a person needs (never a token).</summary>
internal sealed record WriteResult(WriteStatus Status, string Detail)
{
    public static WriteResult Done { get; } = new(WriteStatus.Done, "written");

    public Outcome? AsRefusal() => Status switch
    {
        WriteStatus.Done => null,
        WriteStatus.Exists => Outcome.Conflict("exists", Detail),
        WriteStatus.NotFound => Outcome.NotFound(Detail),
        WriteStatus.NotManaged => Outcome.Conflict("not_managed", Detail),
        WriteStatus.Refused => new Outcome(502, "cluster_refused", Detail),
        WriteStatus.TimedOut => new Outcome(504, "write_timeout", Detail),
        _ => new Outcome(502, "write_failed", Detail),
    };
}
