using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Plugins.WorkloadIdentity;

/// <summary>
/// <c>WorkloadIdentity</c>: <c>spec.gcpServiceAccount</c> names a Google service account that the namespace's
/// <c>default-editor</c> may act as. The ServiceAccount gets <c>iam.gke.io/gcp-service-account</c>, and the Google
/// account's IAM policy gets the member <c>serviceAccount:&lt;project&gt;.svc.id.goog[&lt;ns&gt;/default-editor]</c> in
/// <c>roles/iam.workloadIdentityUser</c>.
/// </summary>
internal sealed partial class WorkloadIdentityPlugin : IProfilePlugin
{
    public const string Annotation = "iam.gke.io/gcp-service-account";
    private readonly GcpIamClient _iam;
    private readonly string? _clusterProject;

    public WorkloadIdentityPlugin(GcpIamClient iam, string? clusterProject)
    {
        _iam = iam;
        _clusterProject = string.IsNullOrEmpty(clusterProject) ? null : clusterProject;
    }

    public string Kind => "WorkloadIdentity";

    public IPluginInstance? Parse(JsonNode? spec, out string? error)
    {
        var account = Meta.Str(spec?["gcpServiceAccount"]);
        var match = account is null ? null : ServiceAccountEmail().Match(account);
        if (match is not { Success: true })
        {
            error = $"gcpServiceAccount '{account}' is not <name>@<project>.iam.gserviceaccount.com";
            return null;
        }

        error = null;
        return new WorkloadIdentityBinding(_iam, account!, _clusterProject ?? match.Groups["project"].Value);
    }

    // Google's account ids are 6-30 characters and projects 6-30, lower case, digits and hyphens.
    [GeneratedRegex("^[a-z][a-z0-9-]{4,28}[a-z0-9]@(?<project>[a-z][a-z0-9-]{4,28}[a-z0-9])\\.iam\\.gserviceaccount\\.com$")]
    private static partial Regex ServiceAccountEmail();
}
