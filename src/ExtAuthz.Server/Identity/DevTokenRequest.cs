using System.Text.Json;

namespace ExtAuthz.Server.Identity;

/// <summary>The body of <c>POST /dev/token</c>, checked: the user and groups end up in request headers.</summary>
internal sealed record DevTokenRequest(string User, IReadOnlyList<string> Groups, int TtlSeconds)
{
    public static DevTokenRequest? From(JsonElement root, TimeSpan maxLifetime, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "the body must be a JSON object";
            return null;
        }

        if (!root.TryGetProperty("user", out var userElement) || userElement.ValueKind != JsonValueKind.String
            || userElement.GetString() is not { Length: > 0 and <= 256 } user || user.Any(char.IsControl))
        {
            error = "'user' must be a non-empty string of at most 256 characters without control characters";
            return null;
        }

        var groups = new List<string>();
        if (root.TryGetProperty("groups", out var groupsElement) && groupsElement.ValueKind != JsonValueKind.Null)
        {
            if (groupsElement.ValueKind != JsonValueKind.Array)
            {
                error = "'groups' must be an array of strings";
                return null;
            }

            foreach (var group in groupsElement.EnumerateArray())
            {
                if (group.ValueKind != JsonValueKind.String || group.GetString() is not { Length: > 0 } name || name.Contains(',') || name.Any(char.IsControl))
                {
                    error = "'groups' must hold non-empty strings without ',' or control characters";
                    return null;
                }

                groups.Add(name);
            }
        }

        var ttl = DevIssuerEndpoints.DefaultTtlSeconds;
        if (root.TryGetProperty("ttlSeconds", out var ttlElement) && ttlElement.ValueKind != JsonValueKind.Null)
        {
            if (ttlElement.ValueKind != JsonValueKind.Number || !ttlElement.TryGetInt32(out ttl) || ttl < 1 || ttl > maxLifetime.TotalSeconds)
            {
                error = $"'ttlSeconds' must be a whole number between 1 and {(int)maxLifetime.TotalSeconds}";
                return null;
            }
        }

        return new DevTokenRequest(user, groups, ttl);
    }
}
