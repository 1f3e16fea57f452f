namespace ExtAuthz.Server.SelfService;

/// <summary>
/// The central dashboard's workgroup API under <c>/api/workgroup/</c>, with the shapes its frontends read
/// (kubeflow/kubeflow v1.10.0 components/centraldashboard/app/api_workgroup.ts): the gateway can route that prefix
/// here instead of to the dashboard. Errors are <c>{"error": text}</c> as the dashboard's apiError writes them, plus
/// our <c>reason</c> code. Unlike the dashboard, every route checks its caller (<see cref="SharingRules"/>), and a
/// request without an identity is 401, never an anonymous user.
/// </summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder api, bool nukeSelf)
    {
        var group = api.MapGroup("/api/workgroup");
        group.MapGet("/exists", ExistsAsync);
        group.MapGet("/env-info", EnvInfoAsync);
        group.MapPost("/create", CreateAsync);
        group.MapGet("/get-all-namespaces", AllNamespacesAsync);
        group.MapGet("/get-contributors/{namespace}", ContributorsAsync);
        group.MapPost("/add-contributor/{namespace}", (HttpContext c, string @namespace) => ContributorAsync(c, @namespace, add: true));
        group.MapDelete("/remove-contributor/{namespace}", (HttpContext c, string @namespace) => ContributorAsync(c, @namespace, add: false));
        if (nukeSelf)
        {
            group.MapDelete("/nuke-self", NukeSelfAsync);
        }
    }

    private static async Task<IResult> ExistsAsync(HttpContext context, WorkspaceService service)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        return Results.Json(new
        {
            user = caller!.UserName,
            hasAuth = true,
            hasWorkgroup = service.View.All().Any(w => SharingRules.IsOwner(w, caller.UserId)),
            registrationFlowAllowed = service.Rules.RegistrationOpen,
        });
    }

    private static async Task<IResult> EnvInfoAsync(HttpContext context, WorkspaceService service, Core.Configuration.SelfServiceOptions options)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        var namespaces = service.View.All()
            .SelectMany(service.View.MembersOf)
            .Where(m => m.User == caller!.UserId)
            .Select(m => new { @namespace = m.Namespace, role = m.DashboardRole, user = m.User });
        return Results.Json(new
        {
            user = caller!.UserId,
            platform = new { provider = "other://", providerName = "other", kubeflowVersion = options.KubeflowVersion, logoutUrl = options.LogoutUrl },
            namespaces,
            isClusterAdmin = caller.IsClusterAdmin,
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext context, WorkspaceService service)
    {
        var (caller, body, refusal) = await ApiRequest.ChangeAsync(context);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        var name = ApiRequest.String(body, "namespace") is { Length: > 0 } ns ? ns : caller!.UserName;
        var owner = ApiRequest.String(body, "user") is { Length: > 0 } user ? user : null;
        var outcome = await service.CreateAsync(caller!, name, owner, context.RequestAborted);
        return outcome.Succeeded ? Results.Json(new { message = $"Created namespace {name}" }) : Error(outcome);
    }

    private static async Task<IResult> AllNamespacesAsync(HttpContext context, WorkspaceService service)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if ((refusal ?? SharingRules.ReadAll(caller!)) is { } refused)
        {
            return Error(refused);
        }

        // [[namespace, owner, "member, member"]], every non-owner member as the dashboard lists them.
        var rows = service.View.All().Select(w =>
        {
            var members = service.View.MembersOf(w);
            return new[]
            {
                w.Name,
                w.Profile.Owner.Name,
                string.Join(", ", members.Where(m => m.BindingName is not null && m.User != w.Profile.Owner.Name).Select(m => m.User).Distinct()),
            };
        });
        return Results.Json(rows);
    }

    private static async Task<IResult> ContributorsAsync(HttpContext context, WorkspaceService service, string @namespace)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        var workspace = service.View.Find(@namespace);
        if ((refusal ?? SharingRules.Read(caller!, workspace, @namespace)) is { } refused)
        {
            return Error(refused);
        }

        return Results.Json(ContributorList(service, workspace!));
    }

    private static async Task<IResult> ContributorAsync(HttpContext context, string @namespace, bool add)
    {
        var service = context.RequestServices.GetRequiredService<WorkspaceService>();
        var (caller, body, refusal) = await ApiRequest.ChangeAsync(context);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        // The dashboard always sends edit ("contributor"); "role": "view" is our extension.
        var contributor = ApiRequest.String(body, "contributor");
        if (string.IsNullOrEmpty(contributor))
        {
            return Error(Outcome.BadRequest("invalid_member", "Missing contributor field."));
        }

        var role = ApiRequest.String(body, "role") ?? "edit";
        var outcome = add
            ? await service.ShareAsync(caller!, @namespace, "User", contributor, role, context.RequestAborted)
            : await service.UnshareAsync(caller!, @namespace, "User", contributor, role, context.RequestAborted);
        return outcome.Succeeded ? Results.Json(ContributorList(service, service.View.Find(@namespace))) : Error(outcome);
    }

    private static async Task<IResult> NukeSelfAsync(HttpContext context, WorkspaceService service)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if ((refusal ?? SameOrigin.RefusalForBodyless(context.Request)) is { } refused)
        {
            return Error(refused);
        }

        var name = caller!.UserName;
        var outcome = await service.DeleteAsync(caller, name, context.RequestAborted);
        return outcome.Succeeded ? Results.Json(new { message = $"Removed namespace/profile {name}", serverBody = "" }) : Error(outcome);
    }

    /// <summary>The dashboard's getContributors: the users with edit ("contributor") in the namespace.</summary>
    private static string[] ContributorList(WorkspaceService service, Core.Access.NamespaceAccess? workspace) =>
        workspace is null ? [] : [.. service.View.MembersOf(workspace).Where(m => m.Role == "edit").Select(m => m.User)];

    public static IResult Error(Outcome outcome) =>
        Results.Json(new { error = outcome.Message, reason = outcome.Reason }, statusCode: outcome.Status);
}
