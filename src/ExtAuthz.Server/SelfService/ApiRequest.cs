using System.Text.Json;

namespace ExtAuthz.Server.SelfService;

/// <summary>
/// The steps every route shares: who is calling (401 without an identity), and for a change the same-origin and JSON
/// checks and a bounded JSON object body. Every byte of a body is hostile: at most 64 KiB, one JSON object.
/// </summary>
internal static class ApiRequest
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The caller of a read.</summary>
    public static Task<(Caller? Caller, Outcome? Refusal)> ReadAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(context.Request, context.RequestAborted);

    /// <summary>The caller and JSON body of a change; the refusal comes first when there is one.</summary>
    public static async Task<(Caller? Caller, JsonElement Body, Outcome? Refusal)> ChangeAsync(HttpContext context)
    {
        var (caller, refusal) = await ReadAsync(context);
        if (refusal is not null)
        {
            return (caller, default, refusal);
        }

        if (SameOrigin.RefusalForJson(context.Request) is { } crossSite)
        {
            return (caller, default, crossSite);
        }

        var (body, bad) = await BodyAsync(context.Request, context.RequestAborted);
        return (caller, body, bad);
    }

    public static async Task<(JsonElement Body, Outcome? Refusal)> BodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (default, new Outcome(413, "too_large", $"the body is larger than {MaxBodyBytes} bytes"));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (default, new Outcome(413, "too_large", $"the body is larger than {MaxBodyBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, Outcome.BadRequest("bad_json", "the body must be one JSON object"));
        }
        catch (JsonException)
        {
            return (default, Outcome.BadRequest("bad_json", "the body is not JSON"));
        }
    }

    /// <summary>A string property of an object, or null when absent or not a string.</summary>
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>An object property, or default.</summary>
    public static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : default;
}
