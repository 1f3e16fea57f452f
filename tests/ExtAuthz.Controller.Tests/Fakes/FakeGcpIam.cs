using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExtAuthz.Controller.Tests.Fakes;

/// <summary>
/// Google IAM's service-account policy API on loopback, from its REST reference: <c>POST
/// /v1/projects/{p}/serviceAccounts/{email}:getIamPolicy</c> answers the Policy with its etag;
/// <c>:setIamPolicy</c> takes <c>{"policy"}</c>, answers 409 ABORTED when the etag is stale and 400 for a binding
/// without members, and changes the etag. Switches give 403 PERMISSION_DENIED, a forced 409, or an answer that never
/// comes; every call is recorded.
/// </summary>
internal sealed class FakeGcpIam : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (JsonObject Policy, int Etag)> _policies = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Every call answers 403 PERMISSION_DENIED.</summary>
    public bool Forbidden { get; set; }

    /// <summary>The next this-many setIamPolicy calls answer 409 ABORTED, as if someone else had just written.</summary>
    public int ConflictingSets { get; set; }

    /// <summary>Calls are held until the caller gives up.</summary>
    public bool Hang { get; set; }

    /// <summary>Calls being held by <see cref="Hang"/>.</summary>
    public int Held => _held;

    private int _held;

    public async Task StartAsync() => (_app, Url) = await LoopbackApp.StartAsync(app => app.MapPost("/v1/{**resource}", Handle));

    /// <summary>The stored policy of a service account resource (a copy), or an empty one.</summary>
    public JsonObject Policy(string resource)
    {
        lock (_gate)
        {
            return _policies.TryGetValue(resource, out var p) ? p.Policy.DeepClone().AsObject() : [];
        }
    }

    public void SetPolicy(string resource, JsonObject policy)
    {
        lock (_gate)
        {
            var etag = _policies.TryGetValue(resource, out var p) ? p.Etag + 1 : 1;
            var stored = policy.DeepClone().AsObject();
            stored["etag"] = Etag(etag);
            _policies[resource] = (stored, etag);
        }
    }

    /// <summary>The members of a role's bindings in a resource's policy.</summary>
    public List<string> Members(string resource, string role) =>
        [.. (Policy(resource)["bindings"] as JsonArray ?? []).Where(b => b?["role"]?.GetValue<string>() == role)
            .SelectMany(b => b!["members"] as JsonArray ?? []).Select(m => m!.GetValue<string>())];

    private async Task Handle(HttpContext context)
    {
        var path = context.Request.Path.Value!["/v1/".Length..];
        Calls.Enqueue(path);
        if (Hang)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        if (Forbidden || context.Request.Headers.Authorization.ToString() != "Bearer test-token")
        {
            await Error(context, 403, "PERMISSION_DENIED", $"Permission 'iam.serviceAccounts.getIamPolicy' denied on resource (or it may not exist).");
            return;
        }

        var colon = path.LastIndexOf(':');
        var (resource, verb) = (path[..colon], path[(colon + 1)..]);
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject ?? [];
        if (verb == "getIamPolicy")
        {
            lock (_gate)
            {
                if (!_policies.ContainsKey(resource))
                {
                    _policies[resource] = (new JsonObject { ["version"] = 1, ["etag"] = Etag(0) }, 0);
                }
            }

            await Json(context, Policy(resource));
            return;
        }

        if (verb != "setIamPolicy" || body["policy"] is not JsonObject policy)
        {
            await Error(context, 400, "INVALID_ARGUMENT", "unknown method or no policy");
            return;
        }

        if (ConflictingSets > 0)
        {
            ConflictingSets--;
            await Error(context, 409, "ABORTED", "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.");
            return;
        }

        if ((policy["bindings"] as JsonArray ?? []).Any(b => (b?["members"] as JsonArray ?? []).Count == 0))
        {
            await Error(context, 400, "INVALID_ARGUMENT", "Policy binding must have at least one member.");
            return;
        }

        var stale = false;
        lock (_gate)
        {
            var current = _policies.TryGetValue(resource, out var p) ? p : ([], 0);
            stale = policy["etag"]?.GetValue<string>() is { } etag && etag != Etag(current.Etag);
            if (!stale)
            {
                var stored = policy.DeepClone().AsObject();
                stored["etag"] = Etag(current.Etag + 1);
                _policies[resource] = (stored, current.Etag + 1);
            }
        }

        if (stale)
        {
            await Error(context, 409, "ABORTED", "There were concurrent policy changes.");
            return;
        }

        await Json(context, Policy(resource));
    }

    private static string Etag(int n) => Convert.ToBase64String(BitConverter.GetBytes(n));

    private static async Task Json(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task Error(HttpContext context, int code, string status, string message)
    {
        context.Response.StatusCode = code;
        await Json(context, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status } });
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
