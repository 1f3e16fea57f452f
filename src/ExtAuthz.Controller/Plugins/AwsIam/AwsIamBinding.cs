using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExtAuthz.Controller.Plugins.AwsIam;

/// <summary>
/// One Profile's IRSA grant: read the role's trust policy, edit the one statement (<see cref="TrustPolicy"/>), and
/// write it back only when it changed. A document over the role's size limit (<c>ACLSizePerRole</c>, 2048 characters by
/// default) is refused before the call, with a message that says so, as is AWS's own <c>LimitExceeded</c>.
/// </summary>
internal sealed class AwsIamBinding : IPluginInstance
{
    private readonly AwsIamClient _iam;
    private readonly string _roleName;
    private readonly bool _annotateOnly;
    private readonly string? _providerArn;
    private readonly int _sizeLimit;

    public AwsIamBinding(AwsIamClient iam, string roleArn, string roleName, bool annotateOnly, string? providerArn, int sizeLimit)
    {
        _iam = iam;
        _roleName = roleName;
        _annotateOnly = annotateOnly;
        _providerArn = providerArn;
        _sizeLimit = sizeLimit;
        EditorAnnotations = new Dictionary<string, string> { [AwsIamPlugin.Annotation] = roleArn };
    }

    public string Kind => "AwsIamForServiceAccount";

    public IReadOnlyDictionary<string, string> EditorAnnotations { get; }

    public static string Subject(string ns) => $"system:serviceaccount:{ns}:default-editor";

    public Task<PluginOutcome> ApplyAsync(string ns, CancellationToken cancellationToken) =>
        ChangeAsync((policy, provider) => TrustPolicy.Add(policy, provider, Subject(ns)), cancellationToken);

    public Task<PluginOutcome> RevokeAsync(string ns, CancellationToken cancellationToken) =>
        ChangeAsync((policy, provider) => TrustPolicy.Remove(policy, provider, Subject(ns)), cancellationToken);

    private async Task<PluginOutcome> ChangeAsync(Func<JsonObject, string, bool> change, CancellationToken cancellationToken)
    {
        if (_annotateOnly)
        {
            return PluginOutcome.Ok;
        }

        try
        {
            var text = await _iam.GetTrustPolicyAsync(_roleName, cancellationToken);
            if (JsonNode.Parse(text) is not JsonObject policy)
            {
                return PluginOutcome.Failed($"role {_roleName}: the trust policy is not a JSON object");
            }

            var provider = _providerArn ?? TrustPolicy.FirstProvider(policy);
            if (provider is null)
            {
                return PluginOutcome.Failed($"role {_roleName}: no OIDC provider configured and none in the trust policy");
            }

            if (!change(policy, provider))
            {
                return PluginOutcome.Ok;
            }

            var document = policy.ToJsonString();
            if (document.Length > _sizeLimit)
            {
                return PluginOutcome.Failed($"role {_roleName}: the trust policy would be {document.Length} characters, over the limit of "
                    + $"{_sizeLimit} (ACLSizePerRole); use a role per Profile or raise the quota");
            }

            await _iam.UpdateTrustPolicyAsync(_roleName, document, cancellationToken);
            return PluginOutcome.Ok;
        }
        catch (AwsIamException ex)
        {
            return PluginOutcome.Failed($"role {_roleName}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return PluginOutcome.Failed($"role {_roleName}: the trust policy does not parse: {ex.Message}");
        }
    }
}
