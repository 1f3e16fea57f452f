using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// The sharing page as HTML: the caller's workspaces with their members and roles, a form to add a member (email and
/// role) and one to remove each, the workspaces the caller is a member of, and "create my workspace" while the caller
/// may. Plain forms, labelled fields, no script; every value written is HTML-encoded.
/// </summary>
internal static partial class SharingPage
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}" +
        "table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ccc}" +
        "form.inline{display:inline}.note{padding:.5rem 1rem;border-left:4px solid #2a6}.error{border-color:#c22}" +
        "label{margin-right:.5rem}input,select,button{font:inherit;margin:.2rem .3rem .2rem 0}" +
        ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

    public static string Render(Caller caller, WorkspaceService service, Outcome? outcome)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>Workspaces and sharing</title><style>").Append(Style).Append("</style></head><body><main>")
            .Append("<h1>Workspaces and sharing</h1><p>Signed in as <strong>").Append(E(caller.UserId)).Append("</strong>")
            .Append(caller.IsClusterAdmin ? " (cluster admin)" : "").Append(".</p>");
        if (outcome is not null)
        {
            html.Append("<p role=\"status\" class=\"note").Append(outcome.Succeeded ? "" : " error").Append("\">").Append(E(outcome.Message)).Append("</p>");
        }

        var all = service.View.All().ToList();
        var managed = all.Where(w => caller.IsClusterAdmin || SharingRules.IsOwner(w, caller.UserId)).ToList();
        html.Append("<h2>").Append(caller.IsClusterAdmin ? "All workspaces" : "Your workspaces").Append("</h2>");
        if (managed.Count == 0)
        {
            html.Append("<p>You own no workspace.</p>");
        }

        foreach (var workspace in managed)
        {
            AppendWorkspace(html, workspace.Name, service.View.MembersOf(workspace));
        }

        var joined = all.Where(w => !managed.Contains(w)).SelectMany(service.View.MembersOf).Where(m => m.User == caller.UserId).ToList();
        if (joined.Count > 0)
        {
            html.Append("<h2>Shared with you</h2><table><thead><tr><th scope=\"col\">Workspace</th><th scope=\"col\">Your role</th></tr></thead><tbody>");
            foreach (var member in joined)
            {
                html.Append("<tr><td>").Append(E(member.Namespace)).Append("</td><td>").Append(E(member.Role)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        if (service.CanCreateOwn(caller))
        {
            html.Append("<h2>Create my workspace</h2><form method=\"post\" action=\"/workspaces/create\">")
                .Append("<label for=\"name\">Name</label><input id=\"name\" name=\"name\" required maxlength=\"63\" pattern=\"[a-z0-9]([-a-z0-9]*[a-z0-9])?\" value=\"")
                .Append(E(SuggestedName(caller.UserId))).Append("\"><button type=\"submit\">Create</button></form>");
        }

        return html.Append("</main></body></html>").ToString();
    }

    /// <summary>The dashboard's registration default: the email's local part, <c>[^\w]|\.</c> → '-', trimmed of '-' and '_', lower case.</summary>
    public static string SuggestedName(string email) =>
        NonWord().Replace(email.Split('@')[0], "-").Trim('-', '_').ToLowerInvariant();

    private static void AppendWorkspace(StringBuilder html, string name, IReadOnlyList<Member> members)
    {
        var ns = E(name);
        html.Append("<section aria-labelledby=\"ws-").Append(ns).Append("\"><h3 id=\"ws-").Append(ns).Append("\">").Append(ns).Append("</h3>")
            .Append("<table><caption>Members of ").Append(ns).Append("</caption><thead><tr><th scope=\"col\">Member</th><th scope=\"col\">Role</th><th scope=\"col\"><span class=\"visually-hidden\">Action</span></th></tr></thead><tbody>");
        foreach (var member in members)
        {
            html.Append("<tr><td>").Append(E(member.User)).Append("</td><td>").Append(member.BindingName is null ? "owner" : E(member.Role)).Append("</td><td>");
            if (member.BindingName is not null && member.Role is "edit" or "view")
            {
                html.Append("<form class=\"inline\" method=\"post\" action=\"/workspaces/").Append(ns).Append("/members/remove\">")
                    .Append("<input type=\"hidden\" name=\"email\" value=\"").Append(E(member.User)).Append("\">")
                    .Append("<input type=\"hidden\" name=\"role\" value=\"").Append(E(member.Role)).Append("\">")
                    .Append("<button type=\"submit\" aria-label=\"Remove ").Append(E(member.User)).Append(" (").Append(E(member.Role)).Append(") from ").Append(ns).Append("\">Remove</button></form>");
            }

            html.Append("</td></tr>");
        }

        html.Append("</tbody></table><form method=\"post\" action=\"/workspaces/").Append(ns).Append("/members\">")
            .Append("<label for=\"email-").Append(ns).Append("\">Email</label><input type=\"email\" id=\"email-").Append(ns).Append("\" name=\"email\" required maxlength=\"254\">")
            .Append("<label for=\"role-").Append(ns).Append("\">Role</label><select id=\"role-").Append(ns).Append("\" name=\"role\">")
            .Append("<option value=\"edit\">edit</option><option value=\"view\">view</option></select>")
            .Append("<button type=\"submit\">Add member</button></form></section>");
    }

    private static string E(string value) => HtmlEncoder.Default.Encode(value);

    [GeneratedRegex(@"[^\w]|\.", RegexOptions.CultureInvariant)]
    private static partial Regex NonWord();
}
