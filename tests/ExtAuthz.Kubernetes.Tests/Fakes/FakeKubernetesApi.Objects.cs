using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExtAuthz.Kubernetes.Tests.Fakes;

/// <summary>
/// The fake API server's object routes, for any <c>/api/v1/…</c> or <c>/apis/{group}/{version}/…</c> resource: get,
/// create (with <c>generateName</c>), update with resourceVersion conflicts (409), patch (server-side apply, stored as
/// a merge of the applied fields; JSON merge patch; both honour a <c>metadata.resourceVersion</c> they carry), the
/// status subresource (the main resource ignores <c>status</c>, <c>/status</c> changes only it), delete with
/// finalizers (a <c>deletionTimestamp</c> first, removal when the last finalizer goes) and garbage collection of
/// dependents by ownerReference UID and of a deleted namespace's contents. RoleBinding <c>roleRef</c> is immutable
/// (422). A write that changes nothing keeps its resourceVersion and sends no event, as kube-apiserver does.
/// </summary>
internal sealed partial class FakeKubernetesApi
{
    private readonly ConcurrentDictionary<string, FakeResource> _resources = new(StringComparer.Ordinal);
    private long _generatedNames;

    /// <summary>Every write (not GET) as it arrived, with its field manager and force flag.</summary>
    public ConcurrentQueue<FakeWrite> Writes { get; } = new();

    /// <summary>Decides a write's fate before it is applied: a (status, message) to refuse it with, or null to let it through.</summary>
    public Func<FakeWrite, (int Status, string Message)?>? WriteFault { get; set; }

    /// <summary>Awaited before a write is applied, with the request's abort token: an API server that is slow to answer.</summary>
    public Func<FakeWrite, CancellationToken, Task>? WriteDelay { get; set; }

    /// <summary>The resource at a collection path such as <c>/api/v1/namespaces</c> (made on first use).</summary>
    public FakeResource Resource(string collectionPath) =>
        Resources.FirstOrDefault(r => r.Path == collectionPath)
            ?? _resources.GetOrAdd(collectionPath, p => new FakeResource(p, "List", _gate, NextVersion));

    public FakeResource Core(string plural) => Resource($"/api/v1/{plural}");

    public FakeResource Group(string group, string version, string plural) => Resource($"/apis/{group}/{version}/{plural}");

    /// <summary>
    /// An update (PUT) of a stored object by <paramref name="manager"/>, as <c>kubectl edit</c> would make it: the
    /// same path as a PUT over HTTP (conflicts, immutable fields, field ownership, events), without the client.
    /// </summary>
    /// <returns>The HTTP status the API server would answer.</returns>
    public int Edit(FakeResource resource, string key, Action<JsonObject> change, string manager = "kubectl-edit")
    {
        var body = resource.Get(key) ?? throw new InvalidOperationException($"{resource.Path}: no object {key}");
        change(body);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var target = new FakeTarget(resource.Path, resource.Path[(resource.Path.LastIndexOf('/') + 1)..],
            slash < 0 ? null : key[..slash], slash < 0 ? key : key[(slash + 1)..], null);
        var write = new FakeWrite("PUT", target, "application/json", manager, false, body);
        Writes.Enqueue(write);
        return Write(resource, target, body, write, replace: true).Item1;
    }

    private IEnumerable<FakeResource> AllResources() => Resources.Concat(_resources.Values);

    partial void MapObjectRoutes(WebApplication app)
    {
        app.Map("/api/{**rest}", ServeObject);
        app.Map("/apis/{**rest}", ServeObject);
    }

    private async Task ServeObject(HttpContext context)
    {
        var target = FakeTarget.Parse(context.Request.Path.Value ?? "");
        if (target is null)
        {
            await StatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        var resource = Resource(target.CollectionPath);
        var method = context.Request.Method;
        if (method == "GET" && target.Name is null)
        {
            await Serve(context, resource);
            return;
        }

        JsonObject? body = null;
        if (method is "POST" or "PUT" or "PATCH")
        {
            using var reader = new StreamReader(context.Request.Body);
            body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject;
        }

        FakeWrite? write = null;
        if (method != "GET")
        {
            var query = context.Request.Query;
            write = new FakeWrite(method, target, context.Request.ContentType ?? "", query["fieldManager"].ToString(), query["force"] == "true", body);
            Writes.Enqueue(write);
            if (WriteDelay is { } delay)
            {
                try
                {
                    await delay(write, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up waiting: nothing is applied, as when kube-apiserver's request is cancelled before storage.
                    return;
                }
            }

            if (WriteFault?.Invoke(write) is { } fault)
            {
                await StatusAsync(context, fault.Status, ReasonOf(fault.Status), fault.Message);
                return;
            }
        }

        var (code, answer, reason) = method switch
        {
            "GET" => resource.Get(target.Key) is { } found ? (200, found, "") : (404, null, $"{target.Plural} \"{target.Name}\" not found"),
            "POST" => Create(resource, target, body!, write!.Manager),
            "PUT" => Write(resource, target, body!, write!, replace: true),
            "PATCH" => Write(resource, target, body!, write!, replace: false),
            "DELETE" => Delete(resource, target),
            _ => (405, null, "method not allowed"),
        };

        if (answer is null)
        {
            await StatusAsync(context, code, ReasonOf(code), reason.Replace("\"", "\\\"", StringComparison.Ordinal));
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private (int, JsonObject?, string) Create(FakeResource resource, FakeTarget target, JsonObject body, string manager)
    {
        lock (_gate)
        {
            var metadata = body["metadata"] as JsonObject ?? [];
            body["metadata"] = metadata;
            if (metadata["name"] is null && metadata["generateName"]?.GetValue<string>() is { } prefix)
            {
                metadata["name"] = prefix + Interlocked.Increment(ref _generatedNames).ToString(CultureInfo.InvariantCulture);
            }

            if (target.Namespace is not null)
            {
                metadata["namespace"] = target.Namespace;
            }

            var key = FakeResource.Key(body);
            if (resource.Get(key) is not null)
            {
                return (409, null, $"{target.Plural} \"{metadata["name"]}\" already exists");
            }

            Stamp(body);
            Prune(resource, body);
            FieldOwnership.Update(null, body, manager);
            resource.Put(body);
            return (201, body, "");
        }
    }

    private (int, JsonObject?, string) Write(FakeResource resource, FakeTarget target, JsonObject body, FakeWrite write, bool replace)
    {
        var apply = write.IsApply;
        lock (_gate)
        {
            var existing = resource.Get(target.Key);
            if (existing is null)
            {
                if (!apply || target.Subresource is not null)
                {
                    return (404, null, $"{target.Plural} \"{target.Name}\" not found");
                }

                var created = FieldOwnership.Apply([], body, write.Manager, write.Force).Next!;
                if (target.Namespace is not null)
                {
                    created["metadata"]!["namespace"] = target.Namespace;
                }

                Stamp(created);
                Prune(resource, created);
                resource.Put(created);
                return (201, created, "");
            }

            var sentVersion = body["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (sentVersion is not null && sentVersion != existing["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                return (409, null, $"Operation cannot be fulfilled on {target.Plural} \"{target.Name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            var next = existing.DeepClone().AsObject();
            if (target.Subresource == "status")
            {
                next["status"] = replace ? body["status"]?.DeepClone() : Merge(next["status"] as JsonObject ?? [], body["status"] as JsonObject ?? []);
            }
            else
            {
                var incoming = body.DeepClone().AsObject();
                if (target.Plural == "profiles")
                {
                    incoming.Remove("status");
                }

                if (apply)
                {
                    var (applied, conflict) = FieldOwnership.Apply(existing, incoming, write.Manager, write.Force);
                    if (applied is null)
                    {
                        return (409, null, conflict!);
                    }

                    next = applied;
                }
                else if (replace)
                {
                    var metadata = incoming["metadata"] as JsonObject ?? [];
                    foreach (var kept in new[] { "uid", "creationTimestamp", "deletionTimestamp", "generation" })
                    {
                        metadata[kept] = existing["metadata"]![kept]?.DeepClone();
                    }

                    incoming["status"] = existing["status"]?.DeepClone();
                    next = incoming;
                }
                else
                {
                    Merge(next, incoming);
                }

                if (!apply)
                {
                    FieldOwnership.Update(existing, next, write.Manager);
                }
            }

            if (target.Plural == "rolebindings" && !JsonNode.DeepEquals(existing["roleRef"], next["roleRef"]))
            {
                return (422, null, $"RoleBinding.rbac.authorization.k8s.io \"{target.Name}\" is invalid: roleRef: Invalid value: cannot change roleRef");
            }

            Prune(resource, next);
            next["metadata"]!["resourceVersion"] = existing["metadata"]!["resourceVersion"]!.DeepClone();
            if (!JsonNode.DeepEquals(existing["spec"], next["spec"]))
            {
                var generation = existing["metadata"]!["generation"]?.GetValue<long>() ?? 1;
                next["metadata"]!["generation"] = generation + 1;
            }

            if (JsonNode.DeepEquals(existing, next))
            {
                return (200, existing, "");
            }

            if (next["metadata"]!["deletionTimestamp"] is not null && (next["metadata"]!["finalizers"] as JsonArray ?? []).Count == 0)
            {
                Remove(resource, next);
                return (200, next, "");
            }

            resource.Put(next);
            return (200, next, "");
        }
    }

    private (int, JsonObject?, string) Delete(FakeResource resource, FakeTarget target)
    {
        lock (_gate)
        {
            if (resource.Get(target.Key) is not { } existing)
            {
                return (404, null, $"{target.Plural} \"{target.Name}\" not found");
            }

            if ((existing["metadata"]!["finalizers"] as JsonArray ?? []).Count > 0)
            {
                if (existing["metadata"]!["deletionTimestamp"] is null)
                {
                    existing["metadata"]!["deletionTimestamp"] = "2026-01-01T00:00:00Z";
                    resource.Put(existing);
                }

                return (200, existing, "");
            }

            Remove(resource, existing);
            return (200, existing, "");
        }
    }

    /// <summary>Removes an object and, as the garbage collector would, its dependents and (for a namespace) its contents.</summary>
    private void Remove(FakeResource resource, JsonObject obj)
    {
        resource.Delete(FakeResource.Key(obj));
        var uid = obj["metadata"]?["uid"]?.GetValue<string>();
        var isNamespace = resource.Path == "/api/v1/namespaces";
        var name = obj["metadata"]?["name"]?.GetValue<string>();
        if (!isNamespace && !FakeResource.MayOwnSomething(uid))
        {
            return;
        }

        foreach (var other in AllResources().Where(r => isNamespace || r.MayHaveOwners))
        {
            foreach (var dependent in other.Objects())
            {
                var ownedBy = (dependent["metadata"]?["ownerReferences"] as JsonArray ?? [])
                    .Any(r => r?["uid"]?.GetValue<string>() == uid);
                var inNamespace = isNamespace && dependent["metadata"]?["namespace"]?.GetValue<string>() == name;
                if (ownedBy || inNamespace)
                {
                    Remove(other, dependent);
                }
            }
        }
    }

    private static void Prune(FakeResource resource, JsonObject obj)
    {
        if (resource.Schema is { } schema)
        {
            StructuralPruning.Prune(obj, schema);
        }
    }

    private static void Stamp(JsonObject obj)
    {
        var metadata = obj["metadata"]!.AsObject();
        metadata["uid"] ??= Guid.NewGuid().ToString();
        metadata["creationTimestamp"] ??= "2026-01-01T00:00:00Z";
        metadata["generation"] ??= 1;
    }

    /// <summary>JSON merge patch (RFC 7386): objects merge per key, null removes a key, anything else replaces.</summary>
    private static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }

        return target;
    }

    private static string ReasonOf(int status) => status switch
    {
        400 => "BadRequest",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        422 => "Invalid",
        429 => "TooManyRequests",
        _ => "InternalError",
    };
}

/// <summary>A write the fake received: method, target, content type, field manager, force flag and body.</summary>
internal sealed record FakeWrite(string Method, FakeTarget Target, string ContentType, string FieldManager, bool Force, JsonObject? Body)
{
    public bool IsApply => Method == "PATCH" && ContentType.StartsWith("application/apply-patch", StringComparison.Ordinal);

    /// <summary>The manager the write is recorded under: its <c>fieldManager</c>, or what kube-apiserver would derive for a client that names none.</summary>
    public string Manager => FieldManager.Length > 0 ? FieldManager : "unknown";
}

/// <summary>What a request path names: the collection (as listed across namespaces), namespace, name, subresource.</summary>
internal sealed record FakeTarget(string CollectionPath, string Plural, string? Namespace, string? Name, string? Subresource)
{
    public string Key => Namespace is null ? Name! : $"{Namespace}/{Name}";

    public static FakeTarget? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        int start;
        string prefix;
        if (parts is ["api", "v1", ..])
        {
            prefix = "/api/v1";
            start = 2;
        }
        else if (parts.Length >= 3 && parts[0] == "apis")
        {
            prefix = $"/apis/{parts[1]}/{parts[2]}";
            start = 3;
        }
        else
        {
            return null;
        }

        var rest = parts[start..];
        if (rest is ["namespaces", var ns, var plural, ..])
        {
            return new FakeTarget($"{prefix}/{plural}", plural, ns, rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4));
        }

        return rest.Length == 0 ? null : new FakeTarget($"{prefix}/{rest[0]}", rest[0], null, rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
    }
}
