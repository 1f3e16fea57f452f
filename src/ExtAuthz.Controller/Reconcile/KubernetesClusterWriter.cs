using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ExtAuthz.Controller.Reconcile;

/// <summary>
/// <see cref="IClusterWriter"/> over KubernetesClient's typed and custom-object calls. Apply bodies go as prebuilt
/// JSON strings in a <see cref="V1Patch"/> of type apply, so the request carries exactly the fields we manage.
/// </summary>
internal sealed class KubernetesClusterWriter : IClusterWriter
{
    private readonly Lazy<IKubernetes> _connection;
    private readonly string _fieldManager;
    private readonly string _profileVersion;
    private readonly TimeProvider _time;

    public KubernetesClusterWriter(Lazy<IKubernetes> connection, string fieldManager, string profileVersion, TimeProvider time)
    {
        _connection = connection;
        _fieldManager = fieldManager;
        _profileVersion = profileVersion;
        _time = time;
    }

    public Task<JsonObject> ApplyAsync(ManagedKind kind, JsonObject body, CancellationToken cancellationToken) =>
        PatchAsync(kind, Meta.Namespace(body), Meta.Name(body), new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), apply: true, cancellationToken);

    public Task<JsonObject> MergePatchAsync(ManagedKind kind, string? ns, string name, JsonObject patch, CancellationToken cancellationToken) =>
        PatchAsync(kind, ns, name, new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), apply: false, cancellationToken);

    public Task DeleteAsync(ManagedKind kind, string? ns, string name, CancellationToken cancellationToken) => Call(async () =>
    {
        var k = _connection.Value;
        object result = kind.Plural switch
        {
            "namespaces" => await k.CoreV1.DeleteNamespaceAsync(name, cancellationToken: cancellationToken),
            "serviceaccounts" => await k.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken),
            "resourcequotas" => await k.CoreV1.DeleteNamespacedResourceQuotaAsync(name, ns, cancellationToken: cancellationToken),
            "rolebindings" => await k.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(name, ns, cancellationToken: cancellationToken),
            _ => await k.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: cancellationToken),
        };
        return new JsonObject();
    }, allowNotFound: true);

    public Task<JsonObject> PatchProfileAsync(string name, JsonObject patch, CancellationToken cancellationToken) => Call(async () =>
        ToNode(await _connection.Value.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Meta.ProfileGroup, _profileVersion, "profiles", name,
            cancellationToken: cancellationToken)));

    public Task<JsonObject> ApplyProfileStatusAsync(string name, JsonObject status, CancellationToken cancellationToken) => Call(async () =>
    {
        var body = new JsonObject
        {
            ["apiVersion"] = $"{Meta.ProfileGroup}/{_profileVersion}",
            ["kind"] = "Profile",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["status"] = status.DeepClone(),
        };
        return ToNode(await _connection.Value.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), Meta.ProfileGroup, _profileVersion, "profiles", name,
            fieldManager: _fieldManager, force: true, cancellationToken: cancellationToken));
    });

    public Task RecordEventAsync(ProfileView profile, string type, string reason, string message, CancellationToken cancellationToken) => Call(async () =>
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = profile.Name + ".", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = $"{Meta.ProfileGroup}/{_profileVersion}",
                Kind = "Profile",
                Name = profile.Name,
                Uid = profile.Uid,
            },
            Type = type,
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            Source = new V1EventSource { Component = _fieldManager },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
            ReportingComponent = _fieldManager,
        };
        await _connection.Value.CoreV1.CreateNamespacedEventAsync(ev, "default", cancellationToken: cancellationToken);
        return new JsonObject();
    });

    private Task<JsonObject> PatchAsync(ManagedKind kind, string? ns, string name, V1Patch patch, bool apply, CancellationToken cancellationToken) => Call(async () =>
    {
        var k = _connection.Value;
        var manager = apply ? _fieldManager : null;
        bool? force = apply ? true : null;
        object result = kind.Plural switch
        {
            "namespaces" => await k.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: manager, force: force, cancellationToken: cancellationToken),
            "serviceaccounts" => await k.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: manager, force: force, cancellationToken: cancellationToken),
            "resourcequotas" => await k.CoreV1.PatchNamespacedResourceQuotaAsync(patch, name, ns, fieldManager: manager, force: force, cancellationToken: cancellationToken),
            "rolebindings" => await k.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, name, ns, fieldManager: manager, force: force, cancellationToken: cancellationToken),
            _ => await k.CustomObjects.PatchNamespacedCustomObjectAsync(patch, kind.Group, kind.Version, ns, kind.Plural, name,
                fieldManager: manager, force: force, cancellationToken: cancellationToken),
        };
        return ToNode(result);
    });

    private static JsonObject ToNode(object result) =>
        result is JsonElement element ? JsonNode.Parse(element.GetRawText())!.AsObject() : JsonNode.Parse(KubernetesJson.Serialize(result))!.AsObject();

    private static async Task<JsonObject> Call(Func<Task<JsonObject>> call, bool allowNotFound = false)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException ex) when (ex.Response is { } response)
        {
            var status = (int)response.StatusCode;
            if (allowNotFound && status == 404)
            {
                return [];
            }

            throw new ApiException(status, $"HTTP {status}: {StatusMessage(response.Content) ?? ex.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiException(0, $"API server unreachable: {ex.Message}", ex);
        }
    }

    private static string? StatusMessage(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(content)?["message"]?.GetValue<string>() ?? content;
        }
        catch (JsonException)
        {
            return content.Length > 300 ? content[..300] : content;
        }
    }
}
