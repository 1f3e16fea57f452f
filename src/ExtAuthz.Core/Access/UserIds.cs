namespace ExtAuthz.Core.Access;

/// <summary>
/// The id matching rule of DESIGN §3: an id that is an email address (contains '@') matches case-insensitively,
/// every other id (ServiceAccount users, opaque subjects) exactly.
/// </summary>
public static class UserIds
{
    public static bool IsEmail(string id) => id.Contains('@');

    public static StringComparer ComparerFor(string id) => IsEmail(id) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public static bool Equal(string a, string b) =>
        IsEmail(a) && IsEmail(b) ? string.Equals(a, b, StringComparison.OrdinalIgnoreCase) : string.Equals(a, b, StringComparison.Ordinal);
}
