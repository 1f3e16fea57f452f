using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Plugins.WorkloadIdentity;

/// <summary>
/// One Profile's Workload Identity grant. Read-modify-write of the Google account's IAM policy with its etag: our
/// member is added to the unconditional <c>roles/iam.workloadIdentityUser</c> binding only when absent, and revoke
/// removes only our member (and a binding it leaves empty, which IAM would refuse). A 409 (etag) re-reads and retries
/// a few times within one call.
/// </summary>
internal sealed class WorkloadIdentityBinding : IPluginInstance
{
    public const string Role = "roles/iam.workloadIdentityUser";
    private const int EtagAttempts = 3;
    private readonly GcpIamClient _iam;
    private readonly string _account;
    private readonly string _resource;
    private readonly string _pool;

    public WorkloadIdentityBinding(GcpIamClient iam, string account, string clusterProject)
    {
        _iam = iam;
        _account = account;
        _resource = $"projects/{account[(account.IndexOf('@') + 1)..account.IndexOf('.', account.IndexOf('@'))]}/serviceAccounts/{account}";
        _pool = $"{clusterProject}.svc.id.goog";
        EditorAnnotations = new Dictionary<string, string> { [WorkloadIdentityPlugin.Annotation] = account };
    }

    public string Kind => "WorkloadIdentity";

    public IReadOnlyDictionary<string, string> EditorAnnotations { get; }

    public string Member(string ns) => $"serviceAccount:{_pool}[{ns}/default-editor]";

    public Task<PluginOutcome> ApplyAsync(string ns, CancellationToken cancellationToken) => ChangeAsync(policy => Add(policy, Member(ns)), cancellationToken);

    public Task<PluginOutcome> RevokeAsync(string ns, CancellationToken cancellationToken) => ChangeAsync(policy => Remove(policy, Member(ns)), cancellationToken);

    private async Task<PluginOutcome> ChangeAsync(Func<JsonObject, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var policy = await _iam.GetIamPolicyAsync(_resource, cancellationToken);
                if (!change(policy))
                {
                    return PluginOutcome.Ok;
                }

                await _iam.SetIamPolicyAsync(_resource, policy, cancellationToken);
                return PluginOutcome.Ok;
            }
            catch (GcpIamException ex) when (ex.HttpStatus == 409 && attempt < EtagAttempts)
            {
                // Someone else changed the policy between our read and write: read it again.
            }
            catch (GcpIamException ex)
            {
                return PluginOutcome.Failed($"{_account}: {ex.Message}");
            }
        }
    }

    /// <summary>Adds <paramref name="member"/> unless present; true when the policy changed.</summary>
    internal static bool Add(JsonObject policy, string member)
    {
        var bindings = policy["bindings"] as JsonArray;
        if (bindings is null)
        {
            bindings = [];
            policy["bindings"] = bindings;
        }

        var binding = bindings.OfType<JsonObject>().FirstOrDefault(b => Meta.Str(b["role"]) == Role && b["condition"] is null);
        if (binding is null)
        {
            bindings.Add(new JsonObject { ["role"] = Role, ["members"] = new JsonArray(member) });
            return true;
        }

        if (binding["members"] is not JsonArray members)
        {
            members = [];
            binding["members"] = members;
        }

        if (members.Any(m => Meta.Str(m) == member))
        {
            return false;
        }

        members.Add(member);
        return true;
    }

    /// <summary>Removes <paramref name="member"/> from every binding of the role; drops bindings left empty.</summary>
    internal static bool Remove(JsonObject policy, string member)
    {
        if (policy["bindings"] is not JsonArray bindings)
        {
            return false;
        }

        var changed = false;
        foreach (var binding in bindings.OfType<JsonObject>().Where(b => Meta.Str(b["role"]) == Role).ToList())
        {
            if (binding["members"] is JsonArray members)
            {
                foreach (var m in members.Where(m => Meta.Str(m) == member).ToList())
                {
                    members.Remove(m);
                    changed = true;
                }

                if (members.Count == 0)
                {
                    bindings.Remove(binding);
                }
            }
        }

        return changed;
    }
}
