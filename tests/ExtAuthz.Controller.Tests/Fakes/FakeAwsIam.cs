using System.Collections.Concurrent;
using System.Security;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExtAuthz.Controller.Tests.Fakes;

/// <summary>
/// AWS IAM's Query API on loopback, from its reference: form-encoded POSTs with <c>Action</c> and
/// <c>Version=2010-05-08</c>, a SigV4 Authorization header required; <c>GetRole</c> answers the role with its trust
/// policy URL-encoded, <c>UpdateAssumeRolePolicy</c> checks the JSON (MalformedPolicyDocument, 400) and the size quota
/// (LimitExceeded, 409), unknown roles are NoSuchEntity (404); a switch answers AccessDenied (403). Errors come as
/// <c>ErrorResponse/Error/{Type,Code,Message}</c>.
/// </summary>
internal sealed class FakeAwsIam : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _roles = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public ConcurrentQueue<string> Actions { get; } = new();

    public bool Forbidden { get; set; }

    public int SizeLimit { get; set; } = 2048;

    public void SetTrustPolicy(string role, string json) => _roles[role] = json;

    public string TrustPolicy(string role) => _roles[role];

    public async Task StartAsync() => (_app, Url) = await LoopbackApp.StartAsync(app => app.MapPost("/", Handle));

    private async Task Handle(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var action = form["Action"].ToString();
        var role = form["RoleName"].ToString();
        Actions.Enqueue(action);
        if (Forbidden || !context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/", StringComparison.Ordinal)
            || form["Version"] != "2010-05-08")
        {
            await Error(context, 403, "AccessDenied", $"User: arn:aws:sts::111122223333:assumed-role/controller is not authorized to perform: iam:{action} on resource: role {role}");
            return;
        }

        if (!_roles.TryGetValue(role, out var policy))
        {
            await Error(context, 404, "NoSuchEntity", $"The role with name {role} cannot be found.");
            return;
        }

        if (action == "GetRole")
        {
            await Xml(context, $"<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult><Role><Path>/</Path>"
                + $"<RoleName>{SecurityElement.Escape(role)}</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>arn:aws:iam::111122223333:role/{SecurityElement.Escape(role)}</Arn>"
                + $"<CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>{SecurityElement.Escape(Uri.EscapeDataString(policy))}</AssumeRolePolicyDocument>"
                + "</Role></GetRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetRoleResponse>");
            return;
        }

        if (action != "UpdateAssumeRolePolicy")
        {
            await Error(context, 400, "InvalidAction", $"Could not find operation {action}");
            return;
        }

        var document = form["PolicyDocument"].ToString();
        try
        {
            JsonDocument.Parse(document).Dispose();
        }
        catch (JsonException)
        {
            await Error(context, 400, "MalformedPolicyDocument", "This policy contains invalid Json");
            return;
        }

        if (document.Length > SizeLimit)
        {
            await Error(context, 409, "LimitExceeded", $"Cannot exceed quota for ACLSizePerRole: {SizeLimit}");
            return;
        }

        _roles[role] = document;
        await Xml(context, "<UpdateAssumeRolePolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></UpdateAssumeRolePolicyResponse>");
    }

    private static async Task Xml(HttpContext context, string body)
    {
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(body);
    }

    private static async Task Error(HttpContext context, int code, string error, string message)
    {
        context.Response.StatusCode = code;
        await Xml(context, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
            + $"<Code>{error}</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>r-3</RequestId></ErrorResponse>");
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
