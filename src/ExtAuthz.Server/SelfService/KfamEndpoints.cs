using System.Text.Json;
using ExtAuthz.Core.Access;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// kfam's routes under <c>/kfam/</c> (kubeflow/kubeflow v1.10.0 components/access-management/kfam/routers.go and
/// api_default.go), so the dashboard's backend can point <c>PROFILES_KFAM_SERVICE_HOST</c> here. Shapes and success
/// codes are kfam's: 200 with an empty body for a change, <c>{"bindings": […]}</c>, the literal <c>true</c> /
/// <c>false</c>, all as <c>application/json; charset=UTF-8</c>. Where kfam answers 403 to everything that goes wrong,
/// we say what went wrong: 400 bad input, 401 no identity, 403 not allowed, 404, 409 conflict, 5xx the cluster. And
/// where kfam checks no caller (list, create profile, cluster-admin query) we do.
/// </summary>
internal static class KfamEndpoints
{
    public static void MapKfam(this IEndpointRouteBuilder api)
    {
        api.MapGet("/kfam/", () => Results.Text("Hello World!", KfamJson.ContentType));
        var v1 = api.MapGroup("/kfam/v1");
        v1.MapGet("/bindings", ListBindingsAsync);
        v1.MapPost("/bindings", (HttpContext c, WorkspaceService s) => ChangeBindingAsync(c, s, add: true));
        v1.MapDelete("/bindings", (HttpContext c, WorkspaceService s) => ChangeBindingAsync(c, s, add: false));
        v1.MapPost("/profiles", CreateProfileAsync);
        v1.MapDelete("/profiles/{profile}", DeleteProfileAsync);
        v1.MapGet("/role/clusteradmin", ClusterAdminAsync);
    }

    /// <summary>
    /// <c>?namespace=</c>: that namespace's members, for its members and cluster admins; <c>?user=</c> alone: that
    /// user's workspaces, for the user themself and cluster admins; neither: everything, for cluster admins.
    /// </summary>
    private static async Task<IResult> ListBindingsAsync(HttpContext context, WorkspaceService service)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        var query = context.Request.Query;
        var ns = query["namespace"].ToString();
        var user = query["user"].ToString();
        var role = query["role"].ToString();
        IEnumerable<NamespaceAccess> workspaces;
        if (ns.Length > 0)
        {
            var workspace = service.View.Find(ns);
            if (SharingRules.Read(caller!, workspace, ns) is { } refused)
            {
                return Error(refused);
            }

            workspaces = [workspace!];
        }
        else if (user.Length > 0 && (user == caller!.UserId || caller.IsClusterAdmin))
        {
            workspaces = service.View.All();
        }
        else if (SharingRules.ReadAll(caller!) is { } refused)
        {
            return Error(refused);
        }
        else
        {
            workspaces = service.View.All();
        }

        var bindings = workspaces.SelectMany(service.View.MembersOf)
            .Where(m => (user.Length == 0 || m.User == user) && (role.Length == 0 || m.Role == role))
            .Select(KfamJson.From)
            .ToList();
        return Json(new KfamJson.BindingList(bindings.Count == 0 ? null : bindings));
    }

    private static async Task<IResult> ChangeBindingAsync(HttpContext context, WorkspaceService service, bool add)
    {
        var (caller, body, refusal) = await ApiRequest.ChangeAsync(context);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        var user = ApiRequest.Object(body, "user");
        var ns = ApiRequest.String(body, "referredNamespace") ?? "";
        var role = ApiRequest.String(ApiRequest.Object(body, "RoleRef"), "name") ?? "";
        var kind = ApiRequest.String(user, "kind") ?? "";
        var email = ApiRequest.String(user, "name");
        var outcome = add
            ? await service.ShareAsync(caller!, ns, kind, email, role, context.RequestAborted)
            : await service.UnshareAsync(caller!, ns, kind, email, role, context.RequestAborted);
        return outcome.Succeeded ? Empty() : Error(outcome);
    }

    private static async Task<IResult> CreateProfileAsync(HttpContext context, WorkspaceService service)
    {
        var (caller, body, refusal) = await ApiRequest.ChangeAsync(context);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        var name = ApiRequest.String(ApiRequest.Object(body, "metadata"), "name") ?? "";
        var owner = ApiRequest.Object(ApiRequest.Object(body, "spec"), "owner");
        if (owner.ValueKind == JsonValueKind.Object && ApiRequest.String(owner, "kind") != "User")
        {
            return Error(Outcome.BadRequest("subject_kind", "a workspace's owner must be one User"));
        }

        var outcome = await service.CreateAsync(caller!, name, ApiRequest.String(owner, "name"), context.RequestAborted);
        return outcome.Succeeded ? Empty() : Error(outcome);
    }

    private static async Task<IResult> DeleteProfileAsync(HttpContext context, WorkspaceService service, string profile)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if ((refusal ?? SameOrigin.RefusalForBodyless(context.Request)) is { } refused)
        {
            return Error(refused);
        }

        var outcome = await service.DeleteAsync(caller!, profile, context.RequestAborted);
        return outcome.Succeeded ? Empty() : Error(outcome);
    }

    /// <summary>Whether a user is a cluster admin: about oneself for anyone, about others for cluster admins.</summary>
    private static async Task<IResult> ClusterAdminAsync(HttpContext context, CallerResolver callers, Operations.AdminCaller admins)
    {
        var (caller, refusal) = await callers.ResolveAsync(context.Request, context.RequestAborted);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        var user = context.Request.Query["user"].ToString();
        if (user != caller!.UserId && !caller.IsClusterAdmin)
        {
            return Error(Outcome.Forbidden("admin_only", "only cluster admins may ask about another user"));
        }

        return Results.Text(admins.IsClusterAdmin(user) ? "true" : "false", KfamJson.ContentType);
    }

    private static IResult Json(object value) => Results.Text(JsonSerializer.Serialize(value, KfamJson.Options), KfamJson.ContentType);

    private static IResult Empty() => Results.Text("", KfamJson.ContentType);

    private static IResult Error(Outcome outcome) =>
        Results.Text(JsonSerializer.Serialize(new { error = outcome.Message, reason = outcome.Reason }), KfamJson.ContentType, statusCode: outcome.Status);
}
