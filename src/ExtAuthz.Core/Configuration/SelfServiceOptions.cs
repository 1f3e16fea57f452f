namespace ExtAuthz.Core.Configuration;

/// <summary>
/// The workspace and sharing API (<c>SelfService:*</c>): kfam's and the central dashboard's routes on
/// <c>Server:ApiPort</c>, every caller checked. Off unless enabled: it writes Profiles and RoleBindings.
/// </summary>
public sealed class SelfServiceOptions
{
    /// <summary>
    /// The central dashboard's service account, as kubeflow/manifests names it (<c>centraldashboard</c>) and as
    /// kubeflow/dashboard names it since its manifests moved there (<c>dashboard</c>): the callers kfam's own
    /// AuthorizationPolicy <c>profiles-kfam</c> admits.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultTrustedCallers =
    [
        "cluster.local/ns/kubeflow/sa/centraldashboard",
        "cluster.local/ns/kubeflow/sa/dashboard",
    ];

    /// <summary>Serve the API on <c>Server:ApiPort</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Users may create their own workspace (the dashboard's registration flow).</summary>
    public bool Registration { get; set; }

    /// <summary>Most workspaces one user may own through the API; cluster admins are not limited.</summary>
    public int MaxOwnedWorkspaces { get; set; } = 1;

    /// <summary>Names no workspace may take, beside the built-in <c>kube-*</c>, <c>istio-*</c>, <c>kubeflow</c>, <c>default</c>.</summary>
    public List<string> ReservedNames { get; set; } = [];

    /// <summary>
    /// Mesh identities (SPIFFE ids without <c>spiffe://</c>) whose <c>kubeflow-userid</c> header names the caller;
    /// read from the last element of <c>x-forwarded-client-cert</c>, the one our own sidecar appended.
    /// </summary>
    public List<string> TrustedCallers { get; set; } = [];

    /// <summary>Also write kfam's per-member Istio AuthorizationPolicy beside each RoleBinding.</summary>
    public bool IstioPolicies { get; set; }

    /// <summary>The principals kfam's per-member AuthorizationPolicy admits (default: <c>Policy:GatewayPrincipals</c>'s defaults).</summary>
    public List<string> IstioPolicyPrincipals { get; set; } = [];

    /// <summary>Serve the dashboard's <c>DELETE /api/workgroup/nuke-self</c> (neither dashboard frontend calls it).</summary>
    public bool NukeSelf { get; set; }

    /// <summary>How long one write to the API server or the folder may take before it is given up and undone.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an answer waits for our own index to show a write.</summary>
    public TimeSpan VisibleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The dashboard's <c>env-info</c> <c>platform.logoutUrl</c>.</summary>
    public string LogoutUrl { get; set; } = "/oauth2/sign_out";

    /// <summary>The dashboard's <c>env-info</c> <c>platform.kubeflowVersion</c>.</summary>
    public string KubeflowVersion { get; set; } = string.Empty;
}
