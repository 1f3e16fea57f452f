namespace ExtAuthz.Core.Configuration;

internal static class HeaderRules
{
    public static void Validate(HeadersOptions headers, List<string> errors)
    {
        CheckName("Headers:UserId", headers.UserId, errors);
        CheckName("Headers:Groups", headers.Groups, errors);
        if (string.Equals(headers.UserId, headers.Groups, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("Headers:Groups: must differ from Headers:UserId");
        }

        if (headers.UserIdPrefix.Any(char.IsControl))
        {
            errors.Add("Headers:UserIdPrefix: must not contain control characters");
        }
    }

    /// <summary>An HTTP header name we set or read: a token (RFC 9110), not a pseudo-header.</summary>
    public static void CheckName(string key, string? name, List<string> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add($"{key}: must not be empty");
            return;
        }

        if (name[0] == ':' || !name.All(IsTokenChar))
        {
            errors.Add($"{key}: '{name}' is not a valid HTTP header name");
        }
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
