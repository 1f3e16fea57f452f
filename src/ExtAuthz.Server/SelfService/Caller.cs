namespace ExtAuthz.Server.SelfService;

/// <summary>Who is calling the workspace API, and how that was proven (<c>token</c> or <c>identity-header</c>).</summary>
internal sealed record Caller(string UserId, bool IsClusterAdmin, string Via)
{
    /// <summary>The dashboard's <c>username</c>: the email's part before '@' (kubeflow attach_user_middleware.ts).</summary>
    public string UserName => UserId.Split('@')[0];
}
