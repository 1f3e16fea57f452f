using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// kfam's JSON (kubeflow/kubeflow v1.10.0 components/access-management/kfam/model_binding.go, model_binding_list.go):
/// <c>Binding {user, referredNamespace, RoleRef, status}</c> with <c>RoleRef</c> capitalised and every field omitted
/// when empty; the list <c>{"bindings": […]}</c> omits the key when empty. The inner objects are Kubernetes' rbac/v1
/// Subject (<c>apiGroup</c> and <c>namespace</c> omitted when empty) and RoleRef (<c>apiGroup</c> always written).
/// </summary>
internal static class KfamJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public const string ContentType = "application/json; charset=UTF-8";

    internal sealed record Subject(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("apiGroup")] string? ApiGroup,
        [property: JsonPropertyName("name")] string Name);

    internal sealed record RoleRef(
        [property: JsonPropertyName("apiGroup")] string ApiGroup,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("name")] string Name);

    internal sealed record Binding(
        [property: JsonPropertyName("user")] Subject User,
        [property: JsonPropertyName("referredNamespace")] string ReferredNamespace,
        [property: JsonPropertyName("RoleRef")] RoleRef RoleRef);

    internal sealed record BindingList(
        [property: JsonPropertyName("bindings")] IReadOnlyList<Binding>? Bindings);

    /// <summary>A listed binding as kfam's List writes it: the subject's kind and name, the short role name.</summary>
    public static Binding From(Member member) =>
        new(new Subject("User", null, member.User), member.Namespace, new RoleRef("", "ClusterRole", member.Role));
}
