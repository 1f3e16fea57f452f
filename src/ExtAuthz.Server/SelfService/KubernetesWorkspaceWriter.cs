using System.Net;
using System.Text.Json.Nodes;
using ExtAuthz.Core.Configuration;
using k8s;
using k8s.Autorest;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// Writes through the Kubernetes API server: a cluster-scoped <c>kubeflow.org/v1</c> Profile for a workspace (the
/// profile controller makes the rest), and per member a RoleBinding plus, with <c>SelfService:IstioPolicies</c>, kfam's
/// AuthorizationPolicy of the same name. Nothing is left half-written: a policy that cannot be created takes its
/// RoleBinding back out; a RoleBinding that cannot be deleted gets its policy back; a write that timed out (and so
/// may or may not have landed) is deleted again. Every call is bounded by <c>SelfService:WriteTimeout</c>.
/// </summary>
internal sealed class KubernetesWorkspaceWriter : IWorkspaceWriter
{
    private const string ProfileGroup = "kubeflow.org";
    private const string RbacGroup = "rbac.authorization.k8s.io";
    private const string IstioGroup = "security.istio.io";

    private readonly Lazy<IKubernetes> _client;
    private readonly SelfServiceOptions _options;
    private readonly HeadersOptions _headers;
    private readonly TimeProvider _time;

    public KubernetesWorkspaceWriter(Func<IKubernetes> connect, SelfServiceOptions options, HeadersOptions headers, TimeProvider time)
    {
        _client = new Lazy<IKubernetes>(connect);
        _options = options;
        _headers = headers;
        _time = time;
    }

    public async Task<WriteResult> CreateWorkspaceAsync(string name, string owner, CancellationToken cancellationToken)
    {
        var result = await RunAsync($"Profile {name}", (k, ct) =>
            k.CustomObjects.CreateClusterCustomObjectAsync(WorkspaceObjects.Profile(name, owner), ProfileGroup, "v1", "profiles", cancellationToken: ct), cancellationToken);
        if (result.Status == WriteStatus.TimedOut)
        {
            await UndoAsync($"Profile {name}", (k, ct) => k.CustomObjects.DeleteClusterCustomObjectAsync(ProfileGroup, "v1", "profiles", name, cancellationToken: ct));
        }

        return result;
    }

    public Task<WriteResult> DeleteWorkspaceAsync(string name, CancellationToken cancellationToken) =>
        RunAsync($"Profile {name}", (k, ct) => k.CustomObjects.DeleteClusterCustomObjectAsync(ProfileGroup, "v1", "profiles", name, cancellationToken: ct), cancellationToken);

    public async Task<WriteResult> AddMemberAsync(MemberBinding binding, CancellationToken cancellationToken)
    {
        var what = $"RoleBinding {binding.Name} in {binding.Namespace}";
        var created = await RunAsync(what, (k, ct) => k.CustomObjects.CreateNamespacedCustomObjectAsync(
            WorkspaceObjects.RoleBinding(binding), RbacGroup, "v1", binding.Namespace, "rolebindings", cancellationToken: ct), cancellationToken);
        if (created.Status == WriteStatus.TimedOut)
        {
            await UndoAsync(what, (k, ct) => DeleteBindingAsync(k, binding, ct));
            return created;
        }

        if (created.Status is not (WriteStatus.Done or WriteStatus.Exists) || !_options.IstioPolicies)
        {
            return created;
        }

        // The RoleBinding is there (new, or left by an earlier half-done share): now its policy, or neither.
        var policy = await RunAsync($"AuthorizationPolicy {binding.Name} in {binding.Namespace}", (k, ct) => k.CustomObjects.CreateNamespacedCustomObjectAsync(
            WorkspaceObjects.AuthorizationPolicy(binding, _headers.UserId, _headers.UserIdPrefix, _options.IstioPolicyPrincipals),
            IstioGroup, "v1beta1", binding.Namespace, "authorizationpolicies", cancellationToken: ct), cancellationToken);
        if (policy.Status is WriteStatus.Done or WriteStatus.Exists)
        {
            return WriteResult.Done;
        }

        await UndoAsync(what, (k, ct) => DeleteBindingAsync(k, binding, ct));
        if (policy.Status == WriteStatus.TimedOut)
        {
            await UndoAsync(what, (k, ct) => DeletePolicyAsync(k, binding, ct));
        }

        return policy with { Detail = $"{policy.Detail}; the RoleBinding was taken back out" };
    }

    public async Task<WriteResult> RemoveMemberAsync(MemberBinding binding, CancellationToken cancellationToken)
    {
        var policyRemoved = false;
        if (_options.IstioPolicies)
        {
            var policy = await RunAsync($"AuthorizationPolicy {binding.Name} in {binding.Namespace}", (k, ct) => DeletePolicyAsync(k, binding, ct), cancellationToken);
            if (policy.Status is not (WriteStatus.Done or WriteStatus.NotFound))
            {
                return policy;
            }

            policyRemoved = policy.Status == WriteStatus.Done;
        }

        var removed = await RunAsync($"RoleBinding {binding.Name} in {binding.Namespace}", (k, ct) => DeleteBindingAsync(k, binding, ct), cancellationToken);
        if (removed.Status is WriteStatus.Done or WriteStatus.NotFound || !policyRemoved)
        {
            return removed;
        }

        // The grant is still there: put its policy back so the two stay a pair.
        await UndoAsync($"AuthorizationPolicy {binding.Name}", (k, ct) => k.CustomObjects.CreateNamespacedCustomObjectAsync(
            WorkspaceObjects.AuthorizationPolicy(binding, _headers.UserId, _headers.UserIdPrefix, _options.IstioPolicyPrincipals),
            IstioGroup, "v1beta1", binding.Namespace, "authorizationpolicies", cancellationToken: ct));
        return removed with { Detail = $"{removed.Detail}; the AuthorizationPolicy was put back" };
    }

    private static Task DeleteBindingAsync(IKubernetes k, MemberBinding binding, CancellationToken ct) =>
        k.CustomObjects.DeleteNamespacedCustomObjectAsync(RbacGroup, "v1", binding.Namespace, "rolebindings", binding.Name, cancellationToken: ct);

    private static Task DeletePolicyAsync(IKubernetes k, MemberBinding binding, CancellationToken ct) =>
        k.CustomObjects.DeleteNamespacedCustomObjectAsync(IstioGroup, "v1beta1", binding.Namespace, "authorizationpolicies", binding.Name, cancellationToken: ct);

    private async Task<WriteResult> RunAsync(string what, Func<IKubernetes, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(_options.WriteTimeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await call(_client.Value, either.Token);
            return WriteResult.Done;
        }
        catch (HttpOperationException ex)
        {
            var code = ex.Response?.StatusCode ?? 0;
            return code switch
            {
                HttpStatusCode.Conflict => new WriteResult(WriteStatus.Exists, $"{what} already exists"),
                HttpStatusCode.NotFound => new WriteResult(WriteStatus.NotFound, $"{what} not found"),
                HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.UnprocessableEntity =>
                    new WriteResult(WriteStatus.Refused, $"the API server refused {what} ({(int)code}): {Message(ex)}"),
                _ => new WriteResult(WriteStatus.Failed, $"the API server failed {what} ({(int)code}): {Message(ex)}"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WriteResult(WriteStatus.TimedOut, $"{what}: no answer from the API server within {_options.WriteTimeout}");
        }
        catch (HttpRequestException ex)
        {
            return new WriteResult(WriteStatus.Failed, $"{what}: the API server could not be reached ({ex.Message})");
        }
    }

    /// <summary>Best effort, bounded, never thrown: undoing is itself a write that may fail; the index then shows what stayed.</summary>
    private async Task UndoAsync(string what, Func<IKubernetes, CancellationToken, Task> call) =>
        await RunAsync(what, call, CancellationToken.None);

    /// <summary>The Status message of the API server's answer, cut; the body never holds a credential.</summary>
    private static string Message(HttpOperationException ex)
    {
        var body = ex.Response?.Content;
        if (string.IsNullOrEmpty(body))
        {
            return ex.Message;
        }

        try
        {
            return (JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body) is var text && text.Length > 300 ? text[..300] : text;
        }
        catch (System.Text.Json.JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
