using System.Text.Json;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Identity.DevSignIn;
using ExtAuthz.Server.Operations;

namespace ExtAuthz.Server.Identity;

/// <summary>
/// The development issuer on the ops port, for loopback callers only (never through a proxy: see <see cref="OpsEndpoints.IsLoopback"/>):
/// <c>GET /dev/jwks</c> (its public key) and <c>POST /dev/token</c> with
/// <c>{"user": "...", "groups": [...], "ttlSeconds": 3600}</c> → <c>{"token": "...", ...}</c>; and the browser
/// sign-in of <see cref="DevSignInEndpoints"/>.
/// </summary>
internal static class DevIssuerEndpoints
{
    public const int DefaultTtlSeconds = 3600;

    public static void MapDevIssuer(this IEndpointRouteBuilder endpoints, DevIssuer dev, DevAuthorizationServer signIn)
    {
        endpoints.MapDevSignIn(dev, signIn);
        endpoints.MapGet(DevSignInEndpoints.JwksPath, () => Results.Text(dev.JwksJson(), "application/json")).LoopbackOnly();
        endpoints.MapPost("/dev/token", (HttpContext context, ILogger<DevIssuer> logger) => MintAsync(context, dev, logger))
            .LoopbackOnly();
    }

    private static async Task<IResult> MintAsync(HttpContext context, DevIssuer dev, ILogger logger)
    {
        DevTokenRequest request;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var parsed = DevTokenRequest.From(document.RootElement, dev.MaxLifetime, out var error);
            if (parsed is null)
            {
                return Error(error!);
            }

            request = parsed;
        }
        catch (JsonException)
        {
            return Error("the body must be a JSON object such as {\"user\": \"alice@example.com\", \"groups\": [], \"ttlSeconds\": 3600}");
        }

        var lifetime = TimeSpan.FromSeconds(request.TtlSeconds);
        var jwt = dev.Mint(request.User, request.Groups, lifetime);
        IdentityLog.DevTokenMinted(logger, request.User, request.Groups.Count, lifetime);
        var body = new Dictionary<string, object>
        {
            ["token"] = jwt,
            ["tokenType"] = "Bearer",
            ["issuer"] = dev.Issuer,
            ["audience"] = dev.Audience,
            ["expiresInSeconds"] = request.TtlSeconds,
        };
        return Results.Text(JsonSerializer.Serialize(body) + "\n", "application/json");
    }

    private static IResult Error(string message) =>
        Results.Text(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }) + "\n", "application/json", statusCode: 400);
}
