using System.Text.Json;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// <c>POST /revocations</c> revokes a user (every token issued before now) or one token; <c>GET /revocations</c>
/// lists what this replica holds. Both need a valid token of a cluster admin: they are real operations on the ops
/// port, not development helpers, so they answer any network caller that proves it is an admin.
/// </summary>
internal static class RevocationEndpoints
{
    public static void MapRevocations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/revocations", RevokeAsync);
        endpoints.MapGet("/revocations", List);
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, AdminCaller caller, RevocationService revocations, ILogger<RevocationService> logger)
    {
        var (admin, status, reason) = caller.Authenticate(context.Request);
        if (admin is null)
        {
            OperationsLog.RevocationRefused(logger, reason);
            return Error(status, status == 401 ? "unauthenticated" : "forbidden", reason);
        }

        RevocationRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<RevocationRequest>(context.Request.Body, RevocationJson.Options, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Error(400, "bad_request", $"the body is not JSON: {ex.Message}");
        }

        var (entry, problem) = ToEntry(body, caller, revocations);
        if (entry is null)
        {
            return Error(400, "bad_request", problem!);
        }

        revocations.Revoke(entry);
        OperationsLog.Revoked(logger, entry.Kind.ToString(), entry.Kind == RevocationKind.TokenFingerprint ? "(token without jti)" : entry.Subject,
            admin.UserId, entry.ExpiresAt);
        var replication = revocations.Replication;
        return Results.Json(new
        {
            revoked = entry,
            replicated = replication is null ? "single replica (no Redis)" : replication.IsConnected ? "sent" : "queued until Redis returns",
        }, RevocationJson.Options);
    }

    private static IResult List(HttpContext context, AdminCaller caller, RevocationService revocations)
    {
        var (admin, status, reason) = caller.Authenticate(context.Request);
        if (admin is null)
        {
            return Error(status, status == 401 ? "unauthenticated" : "forbidden", reason);
        }

        return Results.Json(new { revocations = revocations.Entries.OrderBy(e => e.RevokedAt) }, RevocationJson.Options);
    }

    private static (RevocationEntry? Entry, string? Problem) ToEntry(RevocationRequest? body, AdminCaller caller, RevocationService revocations)
    {
        var given = new[] { body?.User, body?.Jti, body?.Token }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (body is null || given != 1)
        {
            return (null, "give exactly one of \"user\", \"jti\" (with \"issuer\") or \"token\"");
        }

        var now = revocations.Now;
        if (!string.IsNullOrWhiteSpace(body.User))
        {
            return (Revocations.ForUser(body.User.Trim(), now, revocations.MaxTokenLifetime), null);
        }

        if (!string.IsNullOrWhiteSpace(body.Jti))
        {
            if (string.IsNullOrWhiteSpace(body.Issuer))
            {
                return (null, "\"jti\" needs the \"issuer\" of the token");
            }

            var issuer = body.Issuer.Trim();
            return revocations.Issuers.Contains(issuer, StringComparer.Ordinal)
                ? (Revocations.ForTokenId(issuer, body.Jti.Trim(), now, revocations.MaxTokenLifetime), null)
                : (null, $"\"issuer\" is not a configured issuer (Identity:Issuers): one of {string.Join(", ", revocations.Issuers)}");
        }

        // A token is revoked only if it is one of ours and still valid: anything else is already refused.
        var result = caller.ValidateToken(body.Token!.Trim());
        return result.Principal is { } principal
            ? (Revocations.ForToken(principal, now, revocations.MaxTokenLifetime), null)
            : (null, $"the token does not validate ({result.Failure.ToWire()}); it is refused already");
    }

    private static IResult Error(int status, string error, string reason) =>
        Results.Json(new { error, reason }, RevocationJson.Options, statusCode: status);
}
