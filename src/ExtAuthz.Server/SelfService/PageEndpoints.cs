using Microsoft.AspNetCore.Http.Features;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// The sharing page (<c>GET /workspaces</c>) and its form posts, through the same <see cref="WorkspaceService"/> and so
/// the same rules as the JSON routes. A form cannot send JSON, so a post must carry a same-origin <c>Origin</c> or
/// <c>Sec-Fetch-Site</c> (<see cref="SameOrigin.RefusalForForm"/>). A change that succeeds redirects back (303); a
/// refusal shows the page again with the reason and the refusal's status.
/// </summary>
internal static class PageEndpoints
{
    private const string Policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void MapSharingPage(this IEndpointRouteBuilder api)
    {
        api.MapGet("/workspaces", ShowAsync);
        api.MapPost("/workspaces/create", (HttpContext c, WorkspaceService s) => FormAsync(c, s, (caller, form) =>
            s.CreateAsync(caller, form["name"].ToString().Trim(), null, c.RequestAborted)));
        api.MapPost("/workspaces/{namespace}/members", (HttpContext c, WorkspaceService s, string @namespace) => FormAsync(c, s, (caller, form) =>
            s.ShareAsync(caller, @namespace, "User", form["email"].ToString(), form["role"].ToString(), c.RequestAborted)));
        api.MapPost("/workspaces/{namespace}/members/remove", (HttpContext c, WorkspaceService s, string @namespace) => FormAsync(c, s, (caller, form) =>
            s.UnshareAsync(caller, @namespace, "User", form["email"].ToString(), form["role"].ToString(), c.RequestAborted)));
    }

    private static async Task<IResult> ShowAsync(HttpContext context, WorkspaceService service)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if (refusal is not null)
        {
            return Page(context, refusal.Status, $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title></head><body><main><h1>Sign in first</h1><p>This page needs your identity: open it through Kubeflow after signing in.</p></main></body></html>");
        }

        Outcome? done = context.Request.Query["done"].ToString() is { Length: > 0 } message ? Outcome.Ok("done", Done(message)) : null;
        return Page(context, 200, SharingPage.Render(caller!, service, done));
    }

    private static async Task<IResult> FormAsync(HttpContext context, WorkspaceService service, Func<Caller, IFormCollection, Task<Outcome>> change)
    {
        var (caller, refusal) = await ApiRequest.ReadAsync(context);
        if (refusal is not null)
        {
            return Page(context, refusal.Status, $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title></head><body><main><p>{System.Net.WebUtility.HtmlEncode(refusal.Message)}</p></main></body></html>");
        }

        var outcome = SameOrigin.RefusalForForm(context.Request);
        if (outcome is null)
        {
            if (!context.Request.HasFormContentType || context.Request.ContentLength > ApiRequest.MaxBodyBytes)
            {
                outcome = new Outcome(415, "not_form", "the page's forms send application/x-www-form-urlencoded");
            }
            else
            {
                context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { ValueCountLimit = 8, ValueLengthLimit = 1024, KeyLengthLimit = 32 }));
                outcome = await change(caller!, await context.Request.ReadFormAsync(context.RequestAborted));
            }
        }

        return outcome.Succeeded ? SeeOther(context, outcome.Reason) : Page(context, outcome.Status, SharingPage.Render(caller!, service, outcome));
    }

    /// <summary>Back to the page (POST, redirect, GET), naming the outcome by its code only: no request value is reflected.</summary>
    private static IResult SeeOther(HttpContext context, string reason)
    {
        context.Response.Headers.Location = $"/workspaces?done={reason}";
        return Results.StatusCode(303);
    }

    private static string Done(string code) => code switch
    {
        "unchanged" => "Nothing to change: that member already has that role.",
        "written_not_visible" => "Saved; it may take a moment to show here.",
        _ => "Saved.",
    };

    private static IResult Page(HttpContext context, int status, string html)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        // Not no-referrer: with it a browser sends "Origin: null" on the page's own form posts, which the same-origin check refuses.
        headers["Referrer-Policy"] = "same-origin";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
