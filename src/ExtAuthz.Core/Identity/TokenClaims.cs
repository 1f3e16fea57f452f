using System.Globalization;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ExtAuthz.Core.Identity;

/// <summary>
/// The claims validation needs, read from the token library's parsed token with their JSON types checked: the
/// library would turn <c>"email": 42</c> into the string "42".
/// </summary>
internal static class TokenClaims
{
    /// <summary>The user claim when it is a string; a detail when it is there but is not one.</summary>
    public static string? ReadUser(JsonWebToken jwt, string claim, out string? user)
    {
        user = null;
        if (!jwt.TryGetPayloadValue<object>(claim, out var value))
        {
            return null;
        }

        user = value as string;
        return user is null ? $"{claim} not a string" : null;
    }

    /// <summary>Groups: an array of strings (or one string). A value that would split or break the groups header is dropped.</summary>
    public static string? ReadGroups(JsonWebToken jwt, string claim, out IReadOnlyList<string> groups)
    {
        var kept = new List<string>();
        groups = kept;
        if (!jwt.TryGetPayloadValue<object>(claim, out var value) || value is null)
        {
            return null;
        }

        if (value is string one)
        {
            AddGroup(kept, one);
            return null;
        }

        if (value is not JsonElement { ValueKind: JsonValueKind.Array } array)
        {
            return $"{claim} not an array of strings";
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return $"{claim} not an array of strings";
            }

            AddGroup(kept, item.GetString()!);
        }

        return null;
    }

    /// <summary>Only an explicit true (or the string "true" some providers send) passes; absent is fine.</summary>
    public static string? CheckEmailVerified(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<object>("email_verified", out var value))
        {
            return null;
        }

        return value switch
        {
            true or "true" => null,
            false or "false" => "email_verified false",
            _ => "email_verified not a boolean",
        };
    }

    /// <summary>A NumericDate claim in seconds (the structure check has made sure it is a JSON number).</summary>
    public static double? ReadTime(JsonWebToken jwt, string name) =>
        jwt.TryGetPayloadValue<object>(name, out var value) && value is IConvertible number
            ? number.ToDouble(CultureInfo.InvariantCulture)
            : null;

    private static void AddGroup(List<string> groups, string group)
    {
        if (group.Length > 0 && !group.Contains(',') && !group.Any(char.IsControl))
        {
            groups.Add(group);
        }
    }
}
